/**
 * `/v1/plugins`: the manifest's plugins with their live state; add, remove and reload them
 * through the same functions as `repocate plugins add|remove`, then apply the change to the
 * running plugin host. Changes run one at a time.
 *
 * @module
 */
import type { Hono } from "hono";
import { z } from "zod";
import type { JsonObject } from "../../interfaces.ts";
import { RepocateError } from "../../errors.ts";
import { addPlugin, nameFromSource, removePlugin } from "../../core/plugin_admin.ts";
import { readConfig, type Runtime } from "../../core/runtime.ts";
import { riskyGrants } from "../../manifest/permissions.ts";
import { permissionsSchema, PLUGIN_NAME } from "../../manifest/schema.ts";
import type { Grant, PluginEntry } from "../../manifest/types.ts";
import type { Ctx } from "../deps.ts";
import { readBody } from "../validate.ts";

/** A plugin as the API shows it: its manifest entry joined with its live status. */
export interface PluginView {
  /** Manifest name. */
  name: string;
  /** The manifest's description. */
  description?: string;
  /** `Ops.version`, once loaded. */
  version?: string;
  /** `Ops.apiVersion`, once loaded. */
  apiVersion?: string;
  /** Source as the manifest writes it. */
  source: string;
  /** `local` or `remote`. */
  kind: "local" | "remote";
  /** Whether the manifest enables it. */
  enabled: boolean;
  /** Its grants, every key written out. */
  permissions: Record<string, Grant>;
  /** Grants that escape the sandbox. */
  risky: string[];
  /** `loaded`, `failed`, `disabled` or `unloaded`. */
  state: "loaded" | "failed" | "disabled" | "unloaded";
  /** Why it failed. */
  error?: { code: string; message: string };
  /** Warnings (e.g. a local development override). */
  warnings: string[];
  /** Actions it registered. */
  actions: string[];
  /** Bundle integrity or code hash. */
  integrity?: string;
  /** Whether its Worker runs now (a plugin registered from cache starts on first use). */
  running?: boolean;
}

/** The view of one manifest entry. */
export function pluginView(runtime: Runtime, entry: PluginEntry): PluginView {
  const status = runtime.host.get(entry.name);
  return {
    name: entry.name,
    ...(entry.description ? { description: entry.description } : {}),
    ...(status?.version ? { version: status.version, apiVersion: status.apiVersion } : {}),
    source: entry.sourceText,
    kind: entry.source.kind,
    enabled: entry.enabled,
    permissions: entry.permissions,
    risky: riskyGrants(entry.permissions),
    state: entry.enabled ? status?.state ?? "unloaded" : "disabled",
    ...(status?.error && entry.enabled ? { error: status.error } : {}),
    warnings: status?.warnings ?? [],
    actions: status?.actions ?? [],
    ...(status?.integrity ? { integrity: status.integrity } : {}),
    ...(typeof status?.running === "boolean" ? { running: status.running } : {}),
  };
}

/** Every plugin of the manifest in force, in manifest order. */
export function pluginViews(runtime: Runtime): PluginView[] {
  return runtime.manifest.plugins.map((entry) => pluginView(runtime, entry));
}

const addBody = z.strictObject({
  source: z.string().min(1).max(4096),
  name: z.string().regex(PLUGIN_NAME, "must match ^[a-z][a-z0-9-]{0,39}$").optional(),
  permissions: permissionsSchema.optional(),
  config: z.record(z.string(), z.json()).optional(),
  timeouts: z.strictObject({
    initMs: z.int().min(1).max(3_600_000).optional(),
    callMs: z.int().min(1).max(86_400_000).optional(),
  }).optional(),
});

/** Re-reads the manifest (and lock) into the runtime; returns the entry named `name`. */
async function refresh(runtime: Runtime, name: string): Promise<PluginEntry | undefined> {
  const { manifest, lock } = await readConfig(runtime.options);
  runtime.manifest = manifest;
  runtime.lock = lock;
  return manifest.plugins.find((p) => p.name === name);
}

function notFound(name: string, runtime: Runtime): RepocateError {
  return new RepocateError(
    "PLUGIN_NOT_FOUND",
    `no plugin "${name}" in ${runtime.manifest.file}`,
  );
}

/** Registers the plugin routes on `app`. */
export function pluginRoutes(app: Hono, ctx: Ctx): void {
  const { runtime } = ctx;

  app.get("/v1/plugins", (c) => c.json(pluginViews(runtime)));

  app.post("/v1/plugins", async (c) => {
    const body = await readBody(c, addBody);
    const plugin = await ctx.exclusive(async () => {
      const name = body.name ?? nameFromSource(body.source);
      if ((await readConfig(runtime.options)).manifest.plugins.some((p) => p.name === name)) {
        throw new RepocateError("NAME_CONFLICT", `plugin "${name}" is already in the manifest`);
      }
      const added = await addPlugin(runtime.options, {
        ...body,
        config: body.config as JsonObject | undefined,
      });
      const entry = await refresh(runtime, added.name);
      if (!entry) throw new RepocateError("INTERNAL", `plugin "${added.name}" was not recorded`);
      await runtime.host.load(entry);
      return pluginView(runtime, entry);
    });
    return c.json(plugin, 201, { Location: `/v1/plugins/${plugin.name}` });
  });

  app.delete("/v1/plugins/:name", async (c) => {
    const name = c.req.param("name");
    await ctx.exclusive(async () => {
      await removePlugin(runtime.options, name);
      await runtime.host.unload(name);
      await refresh(runtime, name);
    });
    return c.json({ removed: name });
  });

  app.post("/v1/plugins/:name/reload", async (c) => {
    const name = c.req.param("name");
    const plugin = await ctx.exclusive(async () => {
      const entry = await refresh(runtime, name);
      if (!entry) throw notFound(name, runtime);
      if (!entry.enabled) {
        throw new RepocateError(
          "USAGE",
          `plugin "${name}" is disabled in ${runtime.manifest.file}`,
        );
      }
      await runtime.host.unload(name);
      await runtime.host.load(entry);
      return pluginView(runtime, entry);
    });
    return c.json(plugin);
  });
}

/**
 * `repocate plugins list|check|add|remove|lock|flags`.
 *
 * @module
 */
import type { Command } from "commander";
import { RepocateError } from "../errors.ts";
import { openRuntime, readConfig } from "../core/runtime.ts";
import { describePermissions, riskyGrants, unionPermissions } from "../manifest/permissions.ts";
import { PERMISSION_KEYS } from "../manifest/keys.ts";
import type { Grant } from "../manifest/types.ts";
import { hostFlags } from "../launch_flags.ts";
import { type GlobalOptions, out, outJson, runtimeOptions, table } from "./context.ts";

/** Plugin administration (fetch, check, lock, edit the manifest), loaded by the commands that use it. */
const loadAdmin = () => import("../core/plugin_admin.ts");

type Opts = GlobalOptions & Record<string, unknown>;
const globals = (cmd: Command) => cmd.optsWithGlobals() as Opts;

/** Adds the `plugins` command group to `program`. */
export function pluginsCommand(program: Command): void {
  const plugins = program.command("plugins").description(
    "list, check, add, remove and lock plugins",
  );

  plugins.command("list").description("load the plugins and show their state, grants and errors")
    .option("--json", "machine-readable output")
    .action(async (_o, cmd: Command) => {
      const options = globals(cmd);
      const runtime = await openRuntime(runtimeOptions(options));
      try {
        const statuses = runtime.host.list();
        const byName = new Map(runtime.manifest.plugins.map((p) => [p.name, p]));
        const union = unionPermissions(
          runtime.manifest.plugins.filter((p) => p.enabled).map((p) => p.permissions),
        );
        if (options.json) {
          return outJson({
            manifest: runtime.manifest.file,
            plugins: statuses.map((s) => ({ ...s, permissions: byName.get(s.name)?.permissions })),
            hostPermissions: union,
            hostFlags: hostFlags(runtime.manifest),
          });
        }
        const rows = [["NAME", "STATE", "VERSION", "SOURCE", "PERMISSIONS"]];
        for (const s of statuses) {
          const perms = byName.get(s.name)!.permissions;
          const risky = riskyGrants(perms);
          rows.push([
            s.name,
            s.state,
            s.version ?? "-",
            s.source,
            describePermissions(perms) +
            (risky.length ? `  [RISK: ${risky.join(",")} escapes the sandbox]` : ""),
          ]);
        }
        for (const line of table(rows)) out(line);
        for (const s of statuses) {
          if (s.error) out(`${s.name}: ${s.error.code}: ${s.error.message}`);
        }
        out(`grants union: ${describePermissions(union)}`);
        out(`host flags:   ${hostFlags(runtime.manifest).join(" ")}`);
      } finally {
        await runtime.close();
      }
    });

  plugins.command("check [names...]")
    .description(
      "fetch anew, verify against the lock, type-check against interfaces.ts and trial-load",
    )
    .option("--json", "machine-readable output")
    .action(async (names: string[], _o, cmd: Command) => {
      const options = globals(cmd);
      const { checkPlugins } = await loadAdmin();
      const results = await checkPlugins(runtimeOptions(options), names);
      if (options.json) outJson(results.map(({ name, ok, error }) => ({ name, ok, error })));
      else {for (const r of results) {
          out(r.ok ? `ok    ${r.name}` : `FAIL  ${r.name}: ${r.error?.message}`);
        }}
      const failed = results.filter((r) => !r.ok);
      if (failed.length) {
        throw new RepocateError(
          (failed[0].error?.code ?? "PLUGIN_INIT_FAILED") as RepocateError["code"],
          `${failed.length} of ${results.length} plugins failed the check (${
            failed.map((f) => f.name).join(", ")
          })`,
        );
      }
    });

  const add = plugins.command("add <source>")
    .description("fetch, check, lock and add a plugin (a path or an https:// URL)")
    .option("--name <name>", "plugin name (default: derived from the source)")
    .option("--config <json>", "the plugin's config object, as JSON")
    .option("--init-timeout <ms>", "timeouts.initMs")
    .option("--call-timeout <ms>", "timeouts.callMs")
    .option("--json", "machine-readable output");
  for (const key of PERMISSION_KEYS) {
    add.option(
      `--allow-${key} [values]`,
      `grant ${key} (comma-separated list, or all when no value)`,
    );
  }
  add.action(async (source: string, _o, cmd: Command) => {
    const options = globals(cmd);
    const permissions: Record<string, Grant> = {};
    for (const key of PERMISSION_KEYS) {
      const value = options[`allow${key[0].toUpperCase()}${key.slice(1)}`];
      if (value === true) permissions[key] = true;
      else if (typeof value === "string") permissions[key] = value.split(",").filter(Boolean);
    }
    let config;
    if (typeof options.config === "string") {
      try {
        config = JSON.parse(options.config);
      } catch (error) {
        throw new RepocateError("USAGE", `--config: not valid JSON: ${(error as Error).message}`);
      }
    }
    const timeouts: { initMs?: number; callMs?: number } = {};
    if (options.initTimeout) timeouts.initMs = Number(options.initTimeout);
    if (options.callTimeout) timeouts.callMs = Number(options.callTimeout);
    const { addPlugin } = await loadAdmin();
    const status = await addPlugin(runtimeOptions(options), {
      source,
      name: options.name as string | undefined,
      permissions,
      config,
      timeouts: Object.keys(timeouts).length ? timeouts : undefined,
    });
    if (options.json) outJson(status);
    else out(`added ${status.name} ${status.version} (${status.actions.length} actions)`);
  });

  plugins.command("remove <name>").description(
    "remove a plugin from the manifest and its pin from the lock",
  )
    .action(async (name: string, _o, cmd: Command) => {
      const { removePlugin } = await loadAdmin();
      await removePlugin(runtimeOptions(globals(cmd)), name);
      out(`removed ${name}`);
    });

  plugins.command("lock [names...]")
    .description("fetch every remote plugin anew and pin its content (--frozen: verify only)")
    .option("--json", "machine-readable output")
    .action(async (names: string[], _o, cmd: Command) => {
      const options = globals(cmd);
      const { lockPlugins } = await loadAdmin();
      const changes = await lockPlugins(runtimeOptions(options), names);
      if (options.json) return outJson(changes);
      if (!changes.length) out("no remote plugins to lock");
      for (const c of changes) {
        out(`${c.change.padEnd(9)} ${c.name ? c.name + " " : ""}${c.url}`);
        for (const m of c.modules) {
          out(`          ${m.url}: ${m.locked ?? "(new)"} -> ${m.actual ?? "(gone)"}`);
        }
      }
    });

  plugins.command("flags").description("print the deno flags this manifest needs the host to hold")
    .action(async (_o, cmd: Command) => {
      const { manifest } = await readConfig(runtimeOptions(globals(cmd)));
      out(hostFlags(manifest).join(" "));
    });
}

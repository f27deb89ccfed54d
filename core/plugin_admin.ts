/**
 * What `repocate plugins check|add|remove|lock` do. Each either completes or leaves the
 * manifest and the lock exactly as they were.
 *
 * @module
 */
import { basename, dirname, relative, resolve } from "@std/path";
import type { JsonObject } from "../interfaces.ts";
import { messageOf, RepocateError } from "../errors.ts";
import { diffModules, serializeLock, withEntry, withoutEntry } from "../manifest/lock.ts";
import { editManifest, manifestVars, writeLock } from "../manifest/io.ts";
import { parseManifest } from "../manifest/parse.ts";
import { PLUGIN_NAME } from "../manifest/schema.ts";
import type { Grant, Lock, LockEntry, PluginEntry } from "../manifest/types.ts";
import { Registry } from "../registry/mod.ts";
import { PluginCache } from "../host/cache.ts";
import { PluginHost, type PluginStatus } from "../host/plugin_host.ts";
import { preparePlugin } from "../host/prepare.ts";
import { typeCheckPlugin } from "../host/typecheck.ts";
import { openRuntime, readConfig, type RuntimeOptions } from "./runtime.ts";

/** The outcome of checking one plugin. */
export interface CheckResult {
  /** Plugin name. */
  name: string;
  /** Whether every check passed. */
  ok: boolean;
  /** What failed. */
  error?: { code: string; message: string };
  /** Its status after a trial load. */
  status?: PluginStatus;
}

function errorData(error: unknown): { code: string; message: string } {
  return {
    code: error instanceof RepocateError ? error.code : "INTERNAL",
    message: messageOf(error),
  };
}

/**
 * Checks plugins: fetches remote code anew and compares it with the lock, runs the type
 * checker against interfaces.ts, then loads them all into a scratch registry (handshake,
 * shape, initialize, registration, name conflicts). Writes nothing.
 */
export async function checkPlugins(
  options: RuntimeOptions,
  names?: string[],
): Promise<CheckResult[]> {
  const { manifest, lock } = await readConfig(options);
  const entries = selectEntries(manifest.plugins, names).filter((e) => e.enabled);
  const cache = new PluginCache(options.cacheDir);
  const results = new Map<string, CheckResult>();
  await Promise.all(entries.map(async (entry) => {
    try {
      await preparePlugin(entry, lock, cache, { frozen: options.frozen ?? false, refresh: true });
      await typeCheckPlugin(entry.name, entry.source.url);
    } catch (error) {
      results.set(entry.name, { name: entry.name, ok: false, error: errorData(error) });
    }
  }));
  const host = new PluginHost({
    registry: new Registry(),
    lock,
    cache,
    frozen: options.frozen,
    typeCheck: false,
    lazy: false,
    onLog: options.onLog,
  });
  let statuses: PluginStatus[];
  try {
    statuses = await host.loadAll(entries.filter((e) => !results.has(e.name)));
  } finally {
    await host.shutdown();
  }
  for (const status of statuses) {
    results.set(status.name, {
      name: status.name,
      ok: status.state === "loaded",
      error: status.error,
      status,
    });
  }
  return entries.map((e) => results.get(e.name)!);
}

function selectEntries(plugins: PluginEntry[], names?: string[]): PluginEntry[] {
  if (!names?.length) return plugins;
  for (const name of names) {
    if (!plugins.some((p) => p.name === name)) {
      throw new RepocateError("PLUGIN_NOT_FOUND", `no plugin "${name}" in plugins.json`);
    }
  }
  return plugins.filter((p) => names.includes(p.name));
}

/** What `plugins add` records for a new plugin. */
export interface AddRequest {
  /** A path (relative to the current folder) or URL. */
  source: string;
  /** Its name; by default derived from the source. */
  name?: string;
  /** Grants by permission key. */
  permissions?: Partial<Record<string, Grant>>;
  /** Its config. */
  config?: JsonObject;
  /** Timeouts. */
  timeouts?: { initMs?: number; callMs?: number };
}

/** Derives a plugin name from a source: `.../hello/mod.ts` → `hello`, `.../git-tools.ts` → `git-tools`. */
export function nameFromSource(source: string): string {
  const path = /^[a-z]+:/i.test(source) ? new URL(source).pathname : source;
  let base = basename(path).replace(/\.(ts|js|mts|mjs|tsx|jsx)$/, "");
  if (base === "mod" || base === "main" || base === "index") base = basename(dirname(path));
  const name = base.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^[^a-z]+|-+$/g, "");
  if (!PLUGIN_NAME.test(name)) {
    throw new RepocateError("USAGE", `cannot derive a plugin name from "${source}"; pass --name`);
  }
  return name;
}

/**
 * Adds a plugin: loads the current plugins, then the new one beside them (fetch, lock check,
 * type check, handshake, registration). Only when it loads are the lock and manifest written.
 */
export async function addPlugin(
  options: RuntimeOptions,
  request: AddRequest,
): Promise<PluginStatus> {
  const name = request.name ?? nameFromSource(request.source);
  const runtime = await openRuntime({ ...options, typeCheck: false });
  try {
    if (runtime.manifest.plugins.some((p) => p.name === name)) {
      throw new RepocateError("USAGE", `plugin "${name}" is already in ${runtime.manifest.file}`);
    }
    const raw: Record<string, unknown> = {
      name,
      source: manifestSource(request.source, runtime.manifest.file),
    };
    if (request.permissions && Object.keys(request.permissions).length) {
      raw.permissions = request.permissions;
    }
    if (request.config) raw.config = request.config;
    if (request.timeouts) raw.timeouts = request.timeouts;
    // Validate the new entry as the manifest would, without writing yet.
    const text = await Deno.readTextFile(runtime.manifest.file);
    const draft = JSON.parse(text);
    draft.plugins.push(raw);
    const parsed = parseManifest(JSON.stringify(draft), runtime.manifest.file, manifestVars());
    const entry = parsed.plugins.at(-1)!;
    await typeCheckPlugin(entry.name, entry.source.url);
    const status = await runtime.host.load(entry);
    if (status.state !== "loaded") {
      await runtime.host.unload(name);
      throw new RepocateError(
        (status.error?.code ?? "PLUGIN_INIT_FAILED") as RepocateError["code"],
        status.error?.message ?? `plugin "${name}" did not load`,
      );
    }
    const pinned = runtime.host.newLockEntries.get(entry.source.url);
    if (pinned && !options.frozen) {
      await writeLock(runtime.lockFile, withEntry(runtime.lock, entry.source.url, pinned));
    }
    await editManifest(runtime.manifest.file, (m) => m.plugins.push(raw));
    return status;
  } finally {
    await runtime.close();
  }
}

function manifestSource(source: string, manifestFile: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(source)) return source;
  const path = relative(dirname(manifestFile), resolve(source));
  return path.startsWith(".") || path.startsWith("/") ? path : `./${path}`;
}

/** Removes a plugin from the manifest and, when no other entry uses its URL, from the lock. */
export async function removePlugin(options: RuntimeOptions, name: string): Promise<void> {
  const { manifest, lock, lockFile } = await readConfig(options);
  const entry = manifest.plugins.find((p) => p.name === name);
  if (!entry) {
    throw new RepocateError("PLUGIN_NOT_FOUND", `no plugin "${name}" in ${manifest.file}`);
  }
  await editManifest(manifest.file, (m) => {
    m.plugins = m.plugins.filter((p) => p.name !== name);
  });
  const url = entry.source.url;
  const shared = manifest.plugins.some((p) => p.name !== name && p.source.url === url);
  if (entry.source.kind === "remote" && !shared && lock.plugins[url] && !options.frozen) {
    await writeLock(lockFile, withoutEntry(lock, url));
  }
}

/** One change `plugins lock` made or, with `--frozen`, found. */
export interface LockChange {
  /** Plugin name. */
  name: string;
  /** Source URL. */
  url: string;
  /** `added`, `changed`, `unchanged` or `removed` (no longer in the manifest). */
  change: "added" | "changed" | "unchanged" | "removed";
  /** Modules whose hashes differ. */
  modules: { url: string; locked: string | null; actual: string | null }[];
}

/**
 * Fetches every remote plugin (or those named) anew and pins what it gets. With `frozen`,
 * writes nothing and throws `LOCK_MISMATCH` when anything would change.
 */
export async function lockPlugins(
  options: RuntimeOptions,
  names?: string[],
): Promise<LockChange[]> {
  const { manifest, lock, lockFile } = await readConfig(options);
  const cache = new PluginCache(options.cacheDir);
  const entries = selectEntries(manifest.plugins, names).filter((e) => e.source.kind === "remote");
  let next: Lock = lock;
  const changes: LockChange[] = [];
  for (const entry of entries) {
    const fetched = await preparePlugin(entry, lock, cache, {
      frozen: false,
      refresh: true,
      relock: true,
    });
    const url = entry.source.url;
    const old = lock.plugins[url];
    const fresh: LockEntry = { integrity: fetched.integrity, modules: fetched.modules };
    const change = !old ? "added" : old.integrity === fresh.integrity ? "unchanged" : "changed";
    changes.push({ name: entry.name, url, change, modules: old ? diffModules(old, fresh) : [] });
    next = withEntry(next, url, fresh);
  }
  if (!names?.length) {
    const used = new Set(manifest.plugins.map((p) => p.source.url));
    for (const url of Object.keys(lock.plugins)) {
      if (!used.has(url)) {
        changes.push({ name: "", url, change: "removed", modules: [] });
        next = withoutEntry(next, url);
      }
    }
  }
  const dirty = serializeLock(next) !== serializeLock(lock);
  if (options.frozen && dirty) {
    const what = changes.filter((c) => c.change !== "unchanged")
      .map((c) => `${c.url} ${c.change}`).join("; ");
    throw new RepocateError(
      "LOCK_MISMATCH",
      `${lockFile} is out of date and --frozen forbids writing it: ${what}`,
    );
  }
  if (dirty) await writeLock(lockFile, next);
  return changes;
}

/**
 * Decides what code a plugin runs. A remote plugin runs only content whose graph matches
 * plugins.lock.json: from the cache when the locked bundle is there, else fetched anew, built,
 * hashed in the same run and compared with the lock. A local plugin is built from disk each
 * time its files change (their sizes and mtimes are fingerprinted): a development override,
 * never locked.
 *
 * @module
 */
import { join } from "@std/path";
import { RepocateError } from "../errors.ts";
import { mismatchError } from "../manifest/lock_entries.ts";
import type { Lock, LockEntry, PluginEntry } from "../manifest/types.ts";
import { buildPlugin } from "./bundle.ts";
import type { PluginCache } from "./cache.ts";
import { REPOCATE_ROOT } from "./deno_cli.ts";
import { stampGraph, stillFresh } from "./local_fingerprint.ts";

/** Code ready to hand to a Worker. */
export interface PreparedPlugin {
  /** The bundled module. */
  code: string;
  /** Graph integrity (remote) or code hash (local). */
  integrity: string;
  /** Remote modules of the graph with their hashes. */
  modules: Record<string, string>;
  /** For a remote plugin the lock did not know: the entry to record. */
  newLockEntry?: LockEntry;
  /** Whether the code came from the cache without fetching. */
  fromCache: boolean;
  /** Things the user should see (a local override). */
  warnings: string[];
}

/** Options for {@link preparePlugin}. */
export interface PrepareOptions {
  /** Refuse sources the lock does not know instead of recording them. */
  frozen: boolean;
  /** Fetch anew even when the locked bundle is cached (`plugins check`, `plugins lock`). */
  refresh: boolean;
  /** With `refresh`: ignore the locked entry and pin what is fetched now (`plugins lock`). */
  relock?: boolean;
}

/** Whether `entry` is one of repocate's own plugins (a local path under its plugins/). */
export function isBuiltin(entry: PluginEntry): boolean {
  return entry.source.kind === "local" &&
    entry.source.path.startsWith(join(REPOCATE_ROOT, "plugins") + "/");
}

function originsOf(urls: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const url of urls) {
    const u = new URL(url);
    if (u.protocol === "http:" || u.protocol === "https:") out.add(u.origin);
  }
  return [...out].sort();
}

/** The `data:` URL a Worker imports for `code`. */
export function moduleUrlFor(code: string): string {
  // Uint8Array.prototype.toBase64 (TC39 base64, V8 13): ~40x faster than btoa over chunks.
  const bytes = new TextEncoder().encode(code) as Uint8Array & { toBase64(): string };
  return `data:text/javascript;base64,${bytes.toBase64()}`;
}

/** Resolves the code `entry` runs; throws `LOCK_MISMATCH`, `LOCK_MISSING` or `PLUGIN_SOURCE`. */
export async function preparePlugin(
  entry: PluginEntry,
  lock: Lock,
  cache: PluginCache,
  options: PrepareOptions,
): Promise<PreparedPlugin> {
  const { source } = entry;
  if (source.kind === "local") {
    const warnings = isBuiltin(entry) ? [] : [
      `plugin "${entry.name}" runs from a local path (${source.path}): a development override, ` +
      `not pinned by plugins.lock.json`,
    ];
    const known = await cache.readFingerprint(source.url);
    if (known && await stillFresh(known)) {
      const code = await cache.readBundle(known.integrity);
      if (code !== null) {
        return { code, integrity: known.integrity, modules: {}, fromCache: true, warnings };
      }
    }
    const built = await buildPlugin(source.url, { remote: false });
    const files = await stampGraph(source.url);
    if (files) {
      await cache.writeBundle(built.integrity, built.code);
      await cache.writeFingerprint(source.url, {
        integrity: built.integrity,
        deno: Deno.version.deno,
        files,
      });
    }
    return { ...built, fromCache: false, warnings };
  }
  const locked = options.relock ? undefined : lock.plugins[source.url];
  if (locked && !options.refresh) {
    const code = await cache.readBundle(locked.integrity);
    if (code !== null) {
      return {
        code,
        integrity: locked.integrity,
        modules: locked.modules,
        fromCache: true,
        warnings: [],
      };
    }
  }
  if (!locked && options.frozen) {
    throw new RepocateError(
      "LOCK_MISSING",
      `plugin "${entry.name}": ${source.url} is not in plugins.lock.json and --frozen forbids ` +
        `adding it; run \`repocate plugins lock ${entry.name}\` without --frozen and commit the lock`,
    );
  }
  const built = await buildPlugin(source.url, {
    remote: true,
    reloadOrigins: originsOf([source.url, ...Object.keys(locked?.modules ?? {})]),
  });
  const fetched: LockEntry = { integrity: built.integrity, modules: built.modules };
  if (locked && locked.integrity !== built.integrity) {
    throw mismatchError(entry.name, source.url, locked, fetched);
  }
  await cache.writeBundle(built.integrity, built.code);
  return { ...built, fromCache: false, warnings: [], newLockEntry: locked ? undefined : fetched };
}

/**
 * The lock's data without zod: the empty lock, its one serialization, edits, comparisons, the
 * mismatch error, and a quick parse that vouches for well-formed locks. lock.ts adds the zod
 * schema that explains faults; manifest/io.ts reads locks with {@link quickParseLock} first.
 *
 * @module
 */
import { RepocateError } from "../errors.ts";
import type { Lock, LockEntry } from "./types.ts";

/** An empty lock. */
export function emptyLock(): Lock {
  return { version: 1, plugins: {} };
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]]));
}

/** The lock as text: keys sorted at every level, two-space indent, a final newline. */
export function serializeLock(lock: Lock): string {
  const plugins = Object.fromEntries(
    Object.keys(lock.plugins).sort().map((url) => {
      const entry = lock.plugins[url];
      return [url, { integrity: entry.integrity, modules: sortedRecord(entry.modules) }];
    }),
  );
  return JSON.stringify({ version: 1, plugins }, null, 2) + "\n";
}

/** Returns a new lock with `url` pinned to `entry`. */
export function withEntry(lock: Lock, url: string, entry: LockEntry): Lock {
  return { version: 1, plugins: { ...lock.plugins, [url]: entry } };
}

/** Returns a new lock without `url`. */
export function withoutEntry(lock: Lock, url: string): Lock {
  const plugins = { ...lock.plugins };
  delete plugins[url];
  return { version: 1, plugins };
}

/** One module whose content differs from the lock. */
export interface ModuleChange {
  /** The module's URL. */
  url: string;
  /** Its hash in the lock, or `null` when the lock does not know it (a new import). */
  locked: string | null;
  /** Its hash now, or `null` when the graph no longer imports it. */
  actual: string | null;
}

/** Lists the modules whose hashes differ between `locked` and `actual`, sorted by URL. */
export function diffModules(locked: LockEntry, actual: LockEntry): ModuleChange[] {
  const urls = new Set([...Object.keys(locked.modules), ...Object.keys(actual.modules)]);
  return [...urls].sort().flatMap((url) => {
    const a = locked.modules[url] ?? null;
    const b = actual.modules[url] ?? null;
    return a === b ? [] : [{ url, locked: a, actual: b }];
  });
}

/**
 * The error for content that differs from the lock: names the plugin, the source URL, the
 * changed module with both hashes, and what to do.
 */
export function mismatchError(
  plugin: string,
  url: string,
  locked: LockEntry,
  actual: LockEntry,
): RepocateError {
  const changes = diffModules(locked, actual);
  const detail = changes.length
    ? changes.map((c) =>
      c.locked === null
        ? `${c.url} is a new import (${c.actual})`
        : c.actual === null
        ? `${c.url} is no longer imported`
        : `${c.url} changed: locked ${c.locked}, fetched ${c.actual}`
    ).join("; ")
    : `integrity locked ${locked.integrity}, fetched ${actual.integrity}`;
  return new RepocateError(
    "LOCK_MISMATCH",
    `plugin "${plugin}": content of ${url} differs from plugins.lock.json: ${detail}. ` +
      `Refusing to load it. Pin an immutable URL (a version or commit in the path); ` +
      `if the change is expected, run \`repocate plugins lock ${plugin}\`.`,
  );
}

const HASH = /^sha256-[0-9a-f]{64}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Whether lock.ts's schema surely accepts `key` as a source URL and keeps it as is: an http(s)
 * URL in plain form (no spaces or control characters, `://` after the scheme).
 */
function plainSourceUrl(key: string): boolean {
  // deno-lint-ignore no-control-regex
  if (!/^https?:\/\//.test(key) || /[\s\u0000-\u001f\u007f]/.test(key)) return false;
  const url = URL.parse(key);
  return url !== null && (url.protocol === "http:" || url.protocol === "https:");
}

/**
 * The lock in `text` when the quick check can vouch that lock.ts's `parseLock` accepts it
 * unchanged; `null` otherwise (a fault, or something unusual: `parseLock` decides).
 */
export function quickParseLock(text: string): Lock | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(data) || Object.keys(data).some((k) => k !== "version" && k !== "plugins")) {
    return null;
  }
  if (data.version !== 1 || !isObject(data.plugins)) return null;
  const plugins: Record<string, LockEntry> = {};
  for (const [url, entry] of Object.entries(data.plugins)) {
    if (url === "__proto__" || !plainSourceUrl(url) || !isObject(entry)) return null;
    if (Object.keys(entry).some((k) => k !== "integrity" && k !== "modules")) return null;
    const { integrity, modules } = entry;
    if (typeof integrity !== "string" || !HASH.test(integrity) || !isObject(modules)) return null;
    const copy: Record<string, string> = {};
    for (const [module, hash] of Object.entries(modules)) {
      if (module === "__proto__" || module === "" || typeof hash !== "string" || !HASH.test(hash)) {
        return null;
      }
      copy[module] = hash;
    }
    plugins[url] = { integrity, modules: copy };
  }
  return { version: 1, plugins };
}

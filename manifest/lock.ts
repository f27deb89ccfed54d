/**
 * Parses, compares and writes `plugins.lock.json`. Pure: the caller does the I/O, and
 * {@link serializeLock} is the only way a lock is turned into text (sorted keys, final newline).
 *
 * @module
 */
import { z } from "zod";
import { RepocateError } from "../errors.ts";
import { faultList, issueText, oneLine } from "./parse.ts";
import type { Lock, LockEntry } from "./types.ts";

const hash = z.string().regex(/^sha256-[0-9a-f]{64}$/, "must be sha256-<64 hex digits>");

const lockSchema = z.strictObject({
  version: z.literal(1),
  plugins: z.record(
    z.url({ protocol: /^https?$/ }),
    z.strictObject({ integrity: hash, modules: z.record(z.string().min(1), hash) }),
  ),
});

/** An empty lock. */
export function emptyLock(): Lock {
  return { version: 1, plugins: {} };
}

/** Parses lock `text` read from `file`; throws `LOCK_INVALID` naming each fault's JSON path. */
export function parseLock(text: string, file: string): Lock {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new RepocateError(
      "LOCK_INVALID",
      `${file}: not valid JSON: ${oneLine((error as Error).message, 400)}`,
    );
  }
  const parsed = lockSchema.safeParse(data);
  if (!parsed.success) {
    const faults = parsed.error.issues.map(issueText);
    throw new RepocateError("LOCK_INVALID", `${file}: ${faultList(faults)}`);
  }
  return parsed.data as Lock;
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

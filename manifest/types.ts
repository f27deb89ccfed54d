/**
 * Typed values of a parsed manifest and lock: what the rest of repocate works with.
 *
 * @module
 */
import type { JsonObject } from "../interfaces.ts";
import type { PermissionKey } from "./keys.ts";

/** One permission grant in Deno's terms: everything, nothing, or a list. */
export type Grant = boolean | string[];

/** Every permission key written out; what is not granted is `false`. */
export type Permissions = Record<PermissionKey, Grant>;

/** Where a plugin's code comes from. */
export type PluginSource =
  /** A file on this machine: a development override, never locked. */
  | { kind: "local"; path: string; url: string }
  /** An `https:` (or loopback `http:`) URL, pinned by plugins.lock.json. */
  | { kind: "remote"; url: string };

/** One plugin of the manifest, validated and normalized. */
export interface PluginEntry {
  /** Unique name. */
  name: string;
  /** The source as written in the manifest. */
  sourceText: string;
  /** The resolved source. */
  source: PluginSource;
  /** Optional one-line description. */
  description?: string;
  /** Disabled plugins are listed but not loaded. */
  enabled: boolean;
  /** Every permission key, absent ones `false`, paths absolute. */
  permissions: Permissions;
  /** Timeouts in milliseconds. */
  timeouts: { initMs: number; callMs: number };
  /**
   * `worker` (a Worker in this process) or `process` (its own `deno run` process). Default:
   * `process` for remote sources, `worker` for local ones.
   */
  isolation: "worker" | "process";
  /** With process isolation, the plugin's V8 heap limit in MiB. */
  memoryMb?: number;
  /** Passed to the plugin's `initialize` as `ctx.config`. */
  config: JsonObject;
}

/** A parsed manifest. */
export interface Manifest {
  /** Absolute path of the manifest file. */
  file: string;
  /** Its plugins in file order. */
  plugins: PluginEntry[];
}

/** What the lock pins for one remote source URL. */
export interface LockEntry {
  /** `sha256-<hex>` over the sorted module hashes of the whole graph. */
  integrity: string;
  /** Every module of the graph by URL, `sha256-<hex>` of its content. */
  modules: Record<string, string>;
}

/** A parsed plugins.lock.json. */
export interface Lock {
  /** Format version. */
  version: 1;
  /** Entries by source URL. */
  plugins: Record<string, LockEntry>;
}

/**
 * Opens repocate's runtime: reads the manifest and lock, loads every enabled plugin into the
 * registry, and records first-seen remote plugins in the lock unless frozen.
 *
 * @module
 */
import { dirname, join, resolve } from "@std/path";
import type { LogLevel } from "../interfaces.ts";
import { withEntry } from "../manifest/lock_entries.ts";
import { loadManifest, readLock, writeLock } from "../manifest/io.ts";
import type { Lock, Manifest } from "../manifest/types.ts";
import { Registry } from "../registry/mod.ts";
import { PluginCache } from "../host/cache.ts";
import { PluginHost } from "../host/plugin_host.ts";

/** Where the manifest and lock are, and how to load. */
export interface RuntimeOptions {
  /** Path of plugins.json. */
  manifestFile: string;
  /** Path of plugins.lock.json (default: beside the manifest). */
  lockFile?: string;
  /** Never write the lock; refuse remote plugins it does not pin. */
  frozen?: boolean;
  /** Type-check plugins before loading (default true). */
  typeCheck?: boolean;
  /** Plugin cache folder. */
  cacheDir?: string;
  /** Register unchanged plugins from the cache and start their Workers on first use (default). */
  lazy?: boolean;
  /** Receives plugin logs and host warnings. */
  onLog?: (plugin: string, level: LogLevel, message: string) => void;
}

/** A loaded runtime. */
export interface Runtime {
  /** The manifest in force. */
  manifest: Manifest;
  /** Path of the lock file. */
  lockFile: string;
  /** The lock in force (updated when first-seen plugins were recorded). */
  lock: Lock;
  /** The central registry. */
  registry: Registry;
  /** The plugin host. */
  host: PluginHost;
  /** The plugin cache. */
  cache: PluginCache;
  /** Options the runtime was opened with. */
  options: RuntimeOptions;
  /** Unloads every plugin. */
  close(): Promise<void>;
}

/** The lock file that goes with `manifestFile`. */
export function lockFileFor(manifestFile: string): string {
  return join(dirname(resolve(manifestFile)), "plugins.lock.json");
}

/** Reads manifest and lock without loading anything. */
export async function readConfig(
  options: RuntimeOptions,
): Promise<{ manifest: Manifest; lock: Lock; lockFile: string }> {
  const manifest = await loadManifest(options.manifestFile);
  const lockFile = options.lockFile ?? lockFileFor(manifest.file);
  return { manifest, lock: await readLock(lockFile), lockFile };
}

/** Opens the runtime and loads every enabled plugin. Plugin failures show in `host.list()`. */
export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { manifest, lock: initialLock, lockFile } = await readConfig(options);
  const registry = new Registry();
  const cache = new PluginCache(options.cacheDir);
  const host = new PluginHost({
    registry,
    lock: initialLock,
    cache,
    frozen: options.frozen,
    typeCheck: options.typeCheck,
    lazy: options.lazy,
    onLog: options.onLog,
  });
  await host.loadAll(manifest.plugins);
  let lock = initialLock;
  if (host.newLockEntries.size && !options.frozen) {
    for (const [url, entry] of host.newLockEntries) {
      lock = withEntry(lock, url, entry);
      options.onLog?.("repocate", "info", `pinned ${url} in ${lockFile} (${entry.integrity})`);
    }
    await writeLock(lockFile, lock);
  }
  return {
    manifest,
    lockFile,
    lock,
    registry,
    host,
    cache,
    options,
    close: () => host.shutdown(),
  };
}

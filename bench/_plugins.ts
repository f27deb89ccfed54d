/**
 * Bench helpers: manifest entries for N copies of the noop fixture plugin, loading them through
 * a real {@link PluginHost} (eager or lazy), and a bare Worker that answers like a plugin.
 *
 * Needs: read/write on a temporary folder, run for `deno` (bundling, `deno info`).
 *
 * @module
 */
import { fromFileUrl, join, toFileUrl } from "@std/path";
import { emptyLock } from "../manifest/lock.ts";
import { parseManifest } from "../manifest/parse.ts";
import type { PluginEntry } from "../manifest/types.ts";
import { buildPlugin } from "../host/bundle.ts";
import type { PluginCache } from "../host/cache.ts";
import { PluginHost } from "../host/plugin_host.ts";
import { Registry } from "../registry/mod.ts";

/** The noop fixture plugin on disk. */
export const NOOP_PLUGIN = fromFileUrl(
  new URL("../tests/fixtures/plugins/noop.ts", import.meta.url),
);

/** The bare echo Worker's module. */
export const ECHO_WORKER = new URL("./_echo_worker.ts", import.meta.url);

/** `count` manifest entries `noop-0`… of the noop fixture (a local source), no permissions. */
export function noopEntries(
  dir: string,
  count: number,
  extra: Record<string, unknown> = {},
): PluginEntry[] {
  const plugins = Array.from(
    { length: count },
    (_, i) => ({ name: `noop-${i}`, source: NOOP_PLUGIN, ...extra }),
  );
  const text = JSON.stringify({ version: 1, plugins });
  return parseManifest(text, join(dir, "plugins.json")).plugins;
}

/** The noop plugin bundled once (what the host hands a Worker). */
export async function noopBundle(): Promise<string> {
  return (await buildPlugin(toFileUrl(NOOP_PLUGIN).href, { remote: false })).code;
}

/**
 * Loads `entries` into a fresh registry and host (`lazy`: registrations from the cache, no
 * Worker until a call; else every Worker at load); throws unless every one loaded.
 */
export async function loadHost(
  entries: PluginEntry[],
  cache: PluginCache,
  lazy: boolean,
): Promise<{ host: PluginHost; registry: Registry }> {
  const registry = new Registry();
  const host = new PluginHost({ registry, lock: emptyLock(), cache, typeCheck: false, lazy });
  const statuses = await host.loadAll(entries);
  const failed = statuses.find((s) => s.state !== "loaded");
  if (failed) {
    await host.shutdown();
    throw new Error(`bench plugin ${failed.name} failed: ${failed.error?.message}`);
  }
  return { host, registry };
}

/** A bare Worker (permissions "none") that answers one `call` with one `result`. */
export class EchoWorker {
  #worker: Worker;
  #waiting = new Map<number, () => void>();
  #next = 1;

  /** Spawns the Worker. */
  constructor() {
    this.#worker = new Worker(ECHO_WORKER, {
      type: "module",
      name: "bench:echo",
      deno: { permissions: "none" },
    });
    this.#worker.onmessage = (event: MessageEvent<{ id: number }>) => {
      const done = this.#waiting.get(event.data.id);
      this.#waiting.delete(event.data.id);
      done?.();
    };
  }

  /** One round trip with the same message shapes as a plugin call. */
  roundTrip(): Promise<void> {
    const id = this.#next++;
    return new Promise<void>((resolve) => {
      this.#waiting.set(id, resolve);
      this.#worker.postMessage({ t: "call", id, action: "bench.noop", input: {} });
    });
  }

  /** Stops the Worker. */
  terminate(): void {
    this.#worker.terminate();
  }
}

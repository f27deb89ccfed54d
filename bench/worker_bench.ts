/**
 * The plugin runtime's cost beside its floor, measured side by side in one run (issue 5, items
 * 1 and 2). Run with `deno task bench` (all of bench/) or
 * `deno bench --allow-all --unstable-worker-options bench/worker_bench.ts`.
 *
 * Group `call` (baseline: a raw postMessage round trip with a bare Worker, same message shapes)
 * against a no-op action through `registry.invoke` → `PluginWorker.call` (what every action
 * call takes), `PluginWorker.call` alone, and in-process calls (a registry invoke of an
 * in-process invoker, a plain async function call).
 *
 * Group `load` (baseline: a bare Worker with permissions "none": spawn, first round trip,
 * terminate) against loads of the noop fixture plugin through {@link PluginHost}, type check
 * off, plugin cache warm unless said otherwise, each measured from nothing to every plugin
 * "loaded" plus unload:
 * - `PluginWorker.start`: repocate's Worker entry, handshake, initialize and registration of a
 *   plugin whose bundle is in hand;
 * - eager (`--no-cache`): every plugin's Worker starts at load; the bundle comes from the cache
 *   (a local plugin's is reused while its files' size and mtime are unchanged);
 * - lazy (the default): plugins register from the cached registration, no Worker starts until
 *   a call needs it; also one load followed by its first call;
 * - cold: an empty cache, so the bundle is built by `deno bundle` and fingerprinted by
 *   `deno info` (two subprocesses) and the Worker starts.
 *
 * @module
 */
import { join } from "@std/path";
import { PluginCache } from "../host/cache.ts";
import { PluginWorker } from "../host/plugin_worker.ts";
import { moduleUrlFor } from "../host/prepare.ts";
import { Registry } from "../registry/mod.ts";
import type { JsonValue } from "../interfaces.ts";
import { EchoWorker, loadHost, noopBundle, noopEntries } from "./_plugins.ts";

const dir = await Deno.makeTempDir({ prefix: "repocate-bench-" });
const cache = new PluginCache(join(dir, "cache"));
const entries = (n: number) => noopEntries(dir, n);
const code = await noopBundle();
// Warm the cache: the bundle (fingerprinted) and the registrations of noop-0… noop-49.
await (await loadHost(entries(50), cache, false)).host.shutdown();
let cold = 0;

// Long-lived peers for the call group, stopped when the bench process ends.
const echo = new EchoWorker();
await echo.roundTrip();
const loaded = await loadHost(entries(1), cache, false);
const startOptions = (name: string) => ({
  name,
  moduleUrl: moduleUrlFor(code),
  permissions: entries(1)[0].permissions,
  config: {},
  timeouts: { initMs: 10_000, callMs: 600_000 },
});
const { worker: direct } = await PluginWorker.start(startOptions("noop-direct"));
const inProcess = new Registry();
const noop = (_input: JsonValue): Promise<JsonValue> => Promise.resolve(null);
inProcess.registerBatch("bench", {
  items: [],
  actions: [{ name: "bench.noop", description: "", inputSchema: {}, invoke: noop }],
});
globalThis.addEventListener("unload", () => {
  echo.terminate();
  direct.terminate("bench finished");
  void loaded.host.shutdown();
  Deno.removeSync(dir, { recursive: true });
});

Deno.bench("raw postMessage round trip host <-> Worker", {
  group: "call",
  baseline: true,
}, async () => {
  await echo.roundTrip();
});

Deno.bench("registry.invoke -> PluginWorker.call: no-op action", { group: "call" }, async () => {
  await loaded.registry.invoke("noop-0.noop", {});
});

Deno.bench("PluginWorker.call alone: no-op action", { group: "call" }, async () => {
  await direct.call("noop-direct.noop", {});
});

Deno.bench("registry.invoke of an in-process invoker", { group: "call" }, async () => {
  await inProcess.invoke("bench.noop", {});
});

Deno.bench("direct in-process async function call", { group: "call" }, async () => {
  await noop({});
});

// Loads take from a millisecond to seconds: fixed iteration counts keep the run bounded.
Deno.bench("bare Worker (permissions none): spawn, round trip, terminate", {
  group: "load",
  baseline: true,
  n: 50,
  warmup: 10,
}, async () => {
  const worker = new EchoWorker();
  await worker.roundTrip();
  worker.terminate();
});

Deno.bench("PluginWorker.start + terminate (bundle in hand, no host)", {
  group: "load",
  n: 50,
  warmup: 10,
}, async () => {
  const { worker } = await PluginWorker.start(startOptions("noop-start"));
  worker.terminate("bench");
});

for (const n of [1, 10, 50]) {
  Deno.bench(`lazy: ${n} plugin(s) from the cached registration, no Worker`, {
    group: "load",
    n: 100,
    warmup: 10,
  }, async () => {
    const { host } = await loadHost(entries(n), cache, true);
    await host.shutdown();
  });
}

Deno.bench("lazy: 1 plugin, then its first call (starts the Worker)", {
  group: "load",
  n: 30,
  warmup: 5,
}, async () => {
  const { host, registry } = await loadHost(entries(1), cache, true);
  await registry.invoke("noop-0.noop", {});
  await host.shutdown();
});

for (const n of [1, 10, 50]) {
  Deno.bench(`eager: ${n} plugin(s), Workers start at load, bundle cached`, {
    group: "load",
    ...(n === 50 ? { n: 5, warmup: 1 } : n === 10 ? { n: 10, warmup: 2 } : { n: 30, warmup: 5 }),
  }, async () => {
    const { host } = await loadHost(entries(n), cache, false);
    await host.shutdown();
  });
}

Deno.bench("cold: 1 plugin, empty cache (deno bundle + deno info subprocesses)", {
  group: "load",
  n: 5,
  warmup: 1,
}, async () => {
  const fresh = new PluginCache(join(dir, `cold-${cold++}`));
  const { host } = await loadHost(entries(1), fresh, true);
  await host.shutdown();
});

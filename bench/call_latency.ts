/**
 * Action call latency, interleaved (issue 5, item 2): p50, p99 and calls/s of a raw postMessage
 * round trip with a bare Worker, a no-op action through `registry.invoke` →
 * `PluginWorker.call` in each isolation (a Worker, or its own process with
 * `"isolation": "process"`), and a direct in-process call, taken in rounds that alternate them,
 * so a noisy machine slows each of them alike. Before that, the time from nothing to a plugin's
 * first answered call in each isolation (median of 5). deno bench (worker_bench.ts) runs them
 * one after another and reports averages and p75/p99 but no p50.
 *
 * ```sh
 * deno run -A --unstable-worker-options bench/call_latency.ts [--calls 20000]
 * ```
 *
 * @module
 */
import { join } from "@std/path";
import { PluginCache } from "../host/cache.ts";
import type { JsonValue } from "../interfaces.ts";
import { EchoWorker, loadHost, noopEntries } from "./_plugins.ts";

const at = Deno.args.indexOf("--calls");
const CALLS = at >= 0 ? Number(Deno.args[at + 1]) : 20_000;
if (!Number.isInteger(CALLS) || CALLS < 100 || CALLS > 1_000_000) throw new Error("bad --calls");
const ROUND = 500;

const dir = await Deno.makeTempDir({ prefix: "repocate-calls-" });
const cache = new PluginCache(join(dir, "c"));
const ISOLATIONS = {
  "Worker": {},
  "process": { isolation: "process" },
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log("from nothing to the first answered call (eager load + call), median of 5:");
for (const [label, extra] of Object.entries(ISOLATIONS)) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const loaded = await loadHost(noopEntries(dir, 1, extra), cache, false);
    await loaded.registry.invoke("noop-0.noop", {});
    times.push(performance.now() - started);
    await loaded.host.shutdown();
  }
  console.log(`  ${label.padEnd(22)} ${median(times).toFixed(1)} ms`);
}

const echo = new EchoWorker();
const hosts = await Promise.all(
  Object.values(ISOLATIONS).map((extra) => loadHost(noopEntries(dir, 1, extra), cache, false)),
);
const noop = (_input: JsonValue): Promise<JsonValue> => Promise.resolve(null);

const kinds: Record<string, () => Promise<unknown>> = {
  "raw postMessage round trip": () => echo.roundTrip(),
  ...Object.fromEntries(
    Object.keys(ISOLATIONS).map((label, i) => [
      `invoke -> ${label}`,
      () => hosts[i].registry.invoke("noop-0.noop", {}),
    ]),
  ),
  "direct in-process call": () => noop({}),
};
const samples: Record<string, number[]> = Object.fromEntries(
  Object.keys(kinds).map((k) => [k, []]),
);
const busy: Record<string, number> = Object.fromEntries(Object.keys(kinds).map((k) => [k, 0]));

try {
  for (const call of Object.values(kinds)) for (let i = 0; i < 1000; i++) await call(); // warm-up
  for (let done = 0; done < CALLS; done += ROUND) {
    for (const [kind, call] of Object.entries(kinds)) {
      const started = performance.now();
      for (let i = 0; i < ROUND; i++) {
        const t = performance.now();
        await call();
        samples[kind].push(performance.now() - t);
      }
      busy[kind] += performance.now() - started;
    }
  }
  const pct = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
  };
  const raw = busy["raw postMessage round trip"];
  console.log(`${CALLS} calls of each, interleaved in rounds of ${ROUND}:`);
  for (const kind of Object.keys(kinds)) {
    const perSecond = Math.round(samples[kind].length / (busy[kind] / 1000));
    console.log(
      `  ${kind.padEnd(38)} ${String(perSecond).padStart(9)} calls/s  ` +
        `p50 ${(pct(samples[kind], 0.5) * 1000).toFixed(1)} µs  ` +
        `p99 ${(pct(samples[kind], 0.99) * 1000).toFixed(1)} µs  ` +
        `throughput ${(raw / busy[kind]).toFixed(2)}x the raw round trip`,
    );
  }
} finally {
  echo.terminate();
  for (const { host } of hosts) await host.shutdown();
  await Deno.remove(dir, { recursive: true });
}

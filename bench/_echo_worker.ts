/**
 * The bare Worker of the benchmarks: answers each `call` message with a `result`, the same
 * shapes the plugin protocol uses, and nothing else. Runs with permissions "none".
 *
 * @module
 */
/// <reference lib="deno.worker" />

self.onmessage = (event: MessageEvent<{ t: string; id: number }>) => {
  self.postMessage({ t: "result", id: event.data.id, ok: true, value: null });
};

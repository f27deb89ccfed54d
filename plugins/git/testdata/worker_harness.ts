/**
 * A stand-in for the host's Worker entry, for worker_test.ts: bundled together with the git
 * plugin, it initializes the plugin with the config it is sent, runs the calls it is sent, and
 * posts back each call's outcome (`ok`, or the error's name and message).
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { ActionSpec, JsonObject, JsonValue } from "../../../interfaces.ts";
import { Ops } from "../mod.ts";

/** What the test posts. */
export interface HarnessRequest {
  /** The plugin config. */
  config: JsonObject;
  /** Action calls; `$snap` in an input is replaced by the id of the last snapshot created. */
  calls: [string, JsonObject][];
}

/** One call's outcome. */
export type Outcome = { action: string; ok: true } | { action: string; error: string };

const log = { debug() {}, info() {}, warn() {}, error() {} };
const describe = (error: unknown) => `${(error as Error)?.name}: ${(error as Error)?.message}`;

self.onmessage = async (event: MessageEvent<HarnessRequest>) => {
  const actions = new Map<string, ActionSpec>();
  try {
    await Ops.initialize({ name: "git", config: event.data.config, apiVersion: "1.0", log });
    await Ops.registerWithRegistry({
      registerItem() {},
      unregisterItem: () => false,
      registerAction: (action) => void actions.set(action.name, action),
    });
  } catch (error) {
    self.postMessage({ init: describe(error) });
    return;
  }
  const outcomes: Outcome[] = [];
  let snap = "";
  for (const [action, raw] of event.data.calls) {
    const input = JSON.parse(JSON.stringify(raw).replaceAll("$snap", snap)) as JsonValue;
    try {
      const out = await actions.get(action)!.handler(input, { log, progress() {} });
      if (action === "git.snapshot.create") snap = String((out as JsonObject).id);
      outcomes.push({ action, ok: true });
    } catch (error) {
      outcomes.push({ action, error: describe(error) });
    }
  }
  self.postMessage({ outcomes });
};

/**
 * Runs a plugin's `Ops` in this process, for a plugin's own unit tests: initialize it, collect
 * what it registers, and call its actions directly. The real host runs plugins in Workers; this
 * harness skips the boundary (and input-schema validation) so a plugin's logic can be tested
 * against real Docker and git quickly.
 *
 * @module
 */
import type {
  ActionSpec,
  ItemSpec,
  JsonObject,
  JsonValue,
  Logger,
  Operation,
} from "../../interfaces.ts";
import { PLUGIN_API_VERSION } from "../../interfaces.ts";

/** A plugin started in-process, with what it registered. */
export interface InProcessPlugin {
  /** Actions by name. */
  readonly actions: Map<string, ActionSpec>;
  /** Items by `kind/name`. */
  readonly items: Map<string, ItemSpec>;
  /** Log lines the plugin wrote, as `level: message`. */
  readonly logs: string[];
  /** Progress messages reported by action calls. */
  readonly progress: string[];
  /** Calls an action by name, as the host would after validation. */
  call(name: string, input?: JsonValue): Promise<JsonValue | void>;
  /** Calls the plugin's `dispose`, if any. */
  dispose(): Promise<void>;
}

/** Initializes `ops` with `config`, registers it, and returns a handle to call its actions. */
export async function startInProcess(
  ops: Operation,
  config: JsonObject = {},
): Promise<InProcessPlugin> {
  const actions = new Map<string, ActionSpec>();
  const items = new Map<string, ItemSpec>();
  const logs: string[] = [];
  const progress: string[] = [];
  const log: Logger = {
    debug: (m) => logs.push(`debug: ${m}`),
    info: (m) => logs.push(`info: ${m}`),
    warn: (m) => logs.push(`warn: ${m}`),
    error: (m) => logs.push(`error: ${m}`),
  };
  await ops.initialize({ name: ops.name, config, apiVersion: PLUGIN_API_VERSION, log });
  await ops.registerWithRegistry({
    registerItem(item) {
      items.set(`${item.kind}/${item.name}`, item);
    },
    unregisterItem(kind, name) {
      return items.delete(`${kind}/${name}`);
    },
    registerAction(action) {
      if (actions.has(action.name)) throw new TypeError(`duplicate action "${action.name}"`);
      actions.set(action.name, action);
    },
  });
  return {
    actions,
    items,
    logs,
    progress,
    async call(name, input = {}) {
      const action = actions.get(name);
      if (!action) throw new TypeError(`no action "${name}"`);
      return await action.handler(input, { log, progress: (m) => progress.push(m) });
    },
    async dispose() {
      await ops.dispose?.();
    },
  };
}

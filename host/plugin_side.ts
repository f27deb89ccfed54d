/**
 * The plugin side of the protocol, whatever carries the messages: it imports the plugin from the
 * URL the host gives (verified content as a `data:` URL), checks the shape of its `Ops`, answers
 * the handshake, runs `initialize` and `registerWithRegistry`, then serves calls. Console output
 * is turned into log messages so a plugin cannot corrupt the host's stdout.
 *
 * Two entries run it: `worker_entry.ts` in a Worker, and `process_entry.ts` in a plugin's own
 * process (`"isolation": "process"`).
 *
 * @module
 */
import type {
  ActionSpec,
  ItemSpec,
  JsonValue,
  Logger,
  LogLevel,
  Operation,
  Registry,
} from "../interfaces.ts";
import { checkActionName, checkItemKey } from "../registry/names.ts";
import {
  type HostMessage,
  PROTOCOL_VERSION,
  type WireItem,
  type WorkerMessage,
} from "../protocol/messages.ts";
import { shapeFaults } from "./shape.ts";
import { toWireError } from "./wire_error.ts";

/** Where the plugin side sends and receives protocol messages. */
export interface PluginEndpoint {
  /** Sends one message to the host. */
  post(message: WorkerMessage): void;
  /** Delivers every host message to `handler`. */
  listen(handler: (message: HostMessage) => void): void;
  /** Ends the plugin's thread after a fatal error. */
  close(): void;
}

/**
 * Serves the protocol over `endpoint`: console redirected to log messages, errors that escape the
 * plugin outside a call reported as `fatal` (then the thread closes), unhandled rejections
 * logged.
 */
export function servePlugin(endpoint: PluginEndpoint): void {
  // Item changes made after registration leave once per turn of the plugin's code: an item
  // removed and registered again in one turn (a changed view of it) reaches the host as one
  // replacement, so no reader of the registry sees it missing in between. Any other message
  // sends them first, so the host applies them before, say, the result of the call that made
  // them.
  const itemChanges = new Map<string, WireItem | { kind: string; name: string; removed: true }>();
  const sendItemChanges = () => {
    for (const change of itemChanges.values()) {
      endpoint.post(
        "removed" in change
          ? { t: "unregister", kind: change.kind, name: change.name }
          : { t: "register", items: [change] },
      );
    }
    itemChanges.clear();
  };
  const changeItem = (
    key: string,
    change: WireItem | { kind: string; name: string; removed: true },
  ) => {
    if (itemChanges.size === 0) queueMicrotask(sendItemChanges);
    itemChanges.delete(key);
    itemChanges.set(key, change);
  };
  const post = (message: WorkerMessage) => {
    if (itemChanges.size) sendItemChanges();
    endpoint.post(message);
  };
  const send = (level: LogLevel, message: string) => post({ t: "log", level, message });

  const log: Logger = {
    debug: (m) => send("debug", String(m)),
    info: (m) => send("info", String(m)),
    warn: (m) => send("warn", String(m)),
    error: (m) => send("error", String(m)),
  };

  const format = (args: unknown[]) =>
    args.map((a) => typeof a === "string" ? a : Deno.inspect(a)).join(" ");
  console.log = console.info = (...a: unknown[]) => send("info", format(a));
  console.debug = (...a: unknown[]) => send("debug", format(a));
  console.warn = (...a: unknown[]) => send("warn", format(a));
  console.error = (...a: unknown[]) => send("error", format(a));

  globalThis.addEventListener("error", (event) => {
    event.preventDefault();
    post({ t: "fatal", error: toWireError(event.error ?? event.message) });
    endpoint.close();
  });

  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    send("error", `unhandled rejection: ${toWireError(event.reason).message}`);
  });

  let ops: Operation | undefined;
  let initMessage: Extract<HostMessage, { t: "init" }> | undefined;
  let ready = false;
  const handlers = new Map<string, ActionSpec["handler"]>();
  const pending: { items: WireItem[]; actions: ActionSpec[] } = { items: [], actions: [] };
  const ownItems = new Set<string>();

  const registry: Registry = {
    registerItem(item: ItemSpec) {
      checkItemKey(item.kind, item.name);
      const key = `${item.kind}\u0000${item.name}`;
      if (ownItems.has(key)) {
        throw new TypeError(`item ${item.kind} "${item.name}" already registered`);
      }
      const wire = {
        kind: item.kind,
        name: item.name,
        metadata: JSON.parse(JSON.stringify(item.metadata ?? {})),
      };
      ownItems.add(key);
      if (ready) changeItem(key, wire);
      else pending.items.push(wire);
    },
    unregisterItem(kind: string, name: string) {
      const key = `${kind}\u0000${name}`;
      const existed = ownItems.delete(key);
      if (existed && ready) changeItem(key, { kind, name, removed: true });
      if (existed && !ready) {
        pending.items = pending.items.filter((i) => !(i.kind === kind && i.name === name));
      }
      return existed;
    },
    registerAction(action: ActionSpec) {
      if (ready) throw new TypeError("actions can only be registered in registerWithRegistry");
      checkActionName(action.name);
      if (handlers.has(action.name)) {
        throw new TypeError(`action "${action.name}" registered twice`);
      }
      if (typeof action.handler !== "function") {
        throw new TypeError(`action "${action.name}": handler must be a function`);
      }
      handlers.set(action.name, action.handler);
      pending.actions.push(action);
    },
  };

  async function onInit(message: Extract<HostMessage, { t: "init" }>): Promise<void> {
    let mod: Record<string, unknown>;
    try {
      mod = await import(message.moduleUrl);
    } catch (error) {
      post({ t: "failed", stage: "import", error: toWireError(error) });
      return;
    }
    const faults = shapeFaults(mod.Ops);
    if (faults.length) {
      post({
        t: "failed",
        stage: "shape",
        error: { code: "PLUGIN_SHAPE", message: faults.join("; ") },
      });
      return;
    }
    ops = mod.Ops as Operation;
    post({
      t: "hello",
      protocol: PROTOCOL_VERSION,
      plugin: { name: ops.name, version: ops.version, apiVersion: ops.apiVersion },
    });
    initMessage = message;
  }

  async function onStart(): Promise<void> {
    if (!ops || !initMessage) return;
    const { plugin, apiVersion } = initMessage;
    try {
      await ops.initialize({ name: plugin.name, config: plugin.config, apiVersion, log });
    } catch (error) {
      post({ t: "failed", stage: "initialize", error: toWireError(error) });
      return;
    }
    try {
      await ops.registerWithRegistry(registry);
    } catch (error) {
      post({ t: "failed", stage: "register", error: toWireError(error) });
      return;
    }
    ready = true;
    post({
      t: "ready",
      items: pending.items,
      actions: pending.actions.map((a) => ({
        name: a.name,
        description: String(a.description ?? ""),
        inputSchema: JSON.parse(JSON.stringify(a.inputSchema ?? {})),
      })),
    });
  }

  async function onCall(id: number, action: string, input: JsonValue): Promise<void> {
    const handler = handlers.get(action);
    if (!handler) {
      post({ t: "result", id, ok: false, error: { code: "ACTION_NOT_FOUND", message: action } });
      return;
    }
    try {
      const value = await handler(input, {
        log,
        progress: (m: string) => post({ t: "progress", id, message: String(m) }),
      });
      post({ t: "result", id, ok: true, value: value === undefined ? null : toJson(value) });
    } catch (error) {
      post({ t: "result", id, ok: false, error: toWireError(error) });
    }
  }

  async function onShutdown(): Promise<void> {
    try {
      await ops?.dispose?.();
    } catch (error) {
      send("warn", `dispose failed: ${toWireError(error).message}`);
    }
    post({ t: "bye" });
  }

  endpoint.listen((message) => {
    switch (message.t) {
      case "init":
        void onInit(message);
        break;
      case "start":
        void onStart();
        break;
      case "call":
        void onCall(message.id, message.action, message.input);
        break;
      case "shutdown":
        void onShutdown();
        break;
    }
  });
}

function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

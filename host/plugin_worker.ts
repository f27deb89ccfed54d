/**
 * One plugin running in its own Worker, or its own process (`isolation: "process"`), with exactly
 * the permissions its manifest entry grants: the handshake, calls with ids and timeouts, crash
 * detection and shutdown. Host side of protocol/messages.ts.
 *
 * @module
 */
import type { JsonObject, JsonValue, LogLevel } from "../interfaces.ts";
import { PLUGIN_API_VERSION } from "../interfaces.ts";
import { RepocateError } from "../errors.ts";
import type { Permissions } from "../manifest/types.ts";
import { toWorkerPermissions } from "../manifest/permissions.ts";
import {
  type HostMessage,
  PROTOCOL_VERSION,
  type WireAction,
  type WireItem,
  type WorkerMessage,
} from "../protocol/messages.ts";
import { apiMismatch } from "./shape.ts";
import { isMessage, LogLimiter, registrationFault } from "./message_guard.ts";
import { PluginProcess } from "./plugin_process.ts";

/** What starting a plugin needs. */
export interface PluginWorkerOptions {
  /** The manifest name. */
  name: string;
  /** The module to run: a `data:` URL of verified content. */
  moduleUrl: string;
  /** The grants; every key is passed on, nothing is inherited. */
  permissions: Permissions;
  /** The plugin's config. */
  config: JsonObject;
  /** Time limits in milliseconds. */
  timeouts: { initMs: number; callMs: number };
  /**
   * `"process"` runs the plugin in its own `deno run` process instead of a Worker in this one:
   * its heap can be capped (`memoryMb`) and a stuck plugin is killed for real.
   */
  isolation?: "worker" | "process";
  /** With process isolation, the plugin's V8 heap limit in MiB. */
  memoryMb?: number;
  /** Receives the plugin's log lines. */
  onLog?: (level: LogLevel, message: string) => void;
  /** Items the plugin registers or removes after it is ready. */
  onRegister?: (items: WireItem[]) => void;
  /** An item the plugin removed after it is ready. */
  onUnregister?: (kind: string, name: string) => void;
  /** Called once when the Worker dies unasked (crash, or terminated after a timeout). */
  onExit?: (reason: string) => void;
}

/** What a plugin said about itself in the handshake, and what it registered. */
export interface PluginReady {
  /** `Ops.version`. */
  version: string;
  /** `Ops.apiVersion`. */
  apiVersion: string;
  /** Items registered in `registerWithRegistry`. */
  items: WireItem[];
  /** Actions registered in `registerWithRegistry`. */
  actions: WireAction[];
}

interface PendingCall {
  resolve: (value: JsonValue) => void;
  reject: (error: Error) => void;
  onProgress: (message: string) => void;
  timer: ReturnType<typeof setTimeout>;
}

const STAGE_CODES = {
  import: "PLUGIN_SOURCE",
  shape: "PLUGIN_SHAPE",
  initialize: "PLUGIN_INIT_FAILED",
  register: "PLUGIN_INIT_FAILED",
} as const;

/** A started plugin Worker. Create with {@link PluginWorker.start}. */
export class PluginWorker {
  #worker: Worker | PluginProcess;
  #options: PluginWorkerOptions;
  #calls = new Map<number, PendingCall>();
  #nextId = 1;
  #dead: string | null = null;
  #bye: (() => void) | null = null;

  private constructor(options: PluginWorkerOptions) {
    this.#options = options;
    this.#worker = options.isolation === "process"
      ? new PluginProcess(options)
      : new Worker(new URL("./worker_entry.ts", import.meta.url), {
        type: "module",
        name: `plugin:${options.name}`,
        deno: { permissions: toWorkerPermissions(options.permissions) },
      });
  }

  /** Whether the Worker is gone, and why. */
  get deadReason(): string | null {
    return this.#dead;
  }

  /**
   * Starts the Worker, runs the handshake, `initialize` and `registerWithRegistry` within
   * `timeouts.initMs`. On any failure the Worker is terminated and a {@link RepocateError}
   * naming the plugin is thrown.
   */
  static async start(
    options: PluginWorkerOptions,
  ): Promise<{ worker: PluginWorker; ready: PluginReady }> {
    const { name } = options;
    const self = new PluginWorker(options);
    let hello: Extract<WorkerMessage, { t: "hello" }> | undefined;
    try {
      const ready = await new Promise<PluginReady>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new RepocateError(
              "PLUGIN_TIMEOUT",
              `plugin "${name}" did not get ready within ${options.timeouts.initMs} ms ` +
                `(timeouts.initMs in plugins.json)`,
            ),
          );
        }, options.timeouts.initMs);
        const fail = (error: Error) => {
          clearTimeout(timer);
          reject(error);
        };
        self.#onStartupMessage = (message) => {
          if (message.t === "hello") {
            const problem = handshakeProblem(name, message);
            if (problem) return fail(new RepocateError("PLUGIN_HANDSHAKE", problem));
            hello = message;
            self.#post({ t: "start" });
          } else if (message.t === "ready" && hello) {
            const fault = registrationFault(message.items, message.actions);
            if (fault) {
              return fail(
                new RepocateError("PLUGIN_SHAPE", `plugin "${name}" was refused: ${fault}`),
              );
            }
            clearTimeout(timer);
            resolve({
              version: hello.plugin.version,
              apiVersion: hello.plugin.apiVersion,
              items: message.items,
              actions: message.actions,
            });
          } else if (message.t === "failed") {
            const verb = message.stage === "import"
              ? "failed to load"
              : message.stage === "shape"
              ? "does not export a valid Ops"
              : `threw in ${message.stage === "register" ? "registerWithRegistry" : "initialize"}`;
            const code = message.error.code === "PERMISSION_DENIED"
              ? "PERMISSION_DENIED"
              : STAGE_CODES[message.stage];
            fail(new RepocateError(code, `plugin "${name}" ${verb}: ${message.error.message}`));
          }
        };
        self.#onStartupCrash = (reason) => fail(new RepocateError("PLUGIN_CRASHED", reason));
        self.#listen();
        self.#post({
          t: "init",
          protocol: PROTOCOL_VERSION,
          apiVersion: PLUGIN_API_VERSION,
          plugin: { name, config: options.config },
          moduleUrl: options.moduleUrl,
        });
      });
      self.#onStartupMessage = null;
      self.#onStartupCrash = null;
      return { worker: self, ready };
    } catch (error) {
      self.terminate("failed to start");
      throw error;
    }
  }

  #onStartupMessage: ((message: WorkerMessage) => void) | null = null;
  #logs = new LogLimiter();
  #dropTimer: ReturnType<typeof setTimeout> | null = null;

  /** While log lines are being dropped, reports their count once a second. */
  #scheduleDropReport(): void {
    this.#dropTimer ??= setTimeout(() => {
      this.#dropTimer = null;
      const n = this.#logs.takeDropped();
      if (n) this.#options.onLog?.("warn", `dropped ${n} log lines: the plugin logs too fast`);
    }, 1000);
  }

  #stopTimers(): void {
    if (this.#dropTimer) clearTimeout(this.#dropTimer);
    this.#dropTimer = null;
  }
  #onStartupCrash: ((reason: string) => void) | null = null;

  #post(message: HostMessage): void {
    this.#worker.postMessage(message);
  }

  #listen(): void {
    const { name } = this.#options;
    this.#worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      if (isMessage(event.data)) this.#onMessage(event.data);
      else this.#die(`plugin "${name}" sent a message outside the protocol and was stopped`);
    };
    this.#worker.onmessageerror = () => {
      this.#die(`plugin "${name}" sent a message that cannot be read`);
    };
    this.#worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.#die(`plugin "${name}" crashed: ${event.message}`);
    };
  }

  #onMessage(message: WorkerMessage): void {
    switch (message.t) {
      case "log": {
        if (!this.#logs.allow()) return this.#scheduleDropReport();
        const level = ["debug", "info", "warn", "error"].includes(message.level)
          ? message.level
          : "info";
        this.#options.onLog?.(level, String(message.message).slice(0, 8192));
        return;
      }
      case "progress":
        this.#calls.get(message.id)?.onProgress(String(message.message));
        return;
      case "result": {
        const call = this.#calls.get(message.id);
        if (!call) return;
        this.#calls.delete(message.id);
        clearTimeout(call.timer);
        if (message.ok) call.resolve(message.value);
        else {
          const { code, message: text } = message.error;
          const known = code === "PERMISSION_DENIED" || code === "ACTION_NOT_FOUND";
          const error = new RepocateError(
            known ? code : "ACTION_FAILED",
            `plugin "${this.#options.name}": ${text}`,
          );
          (error as { pluginCode?: string }).pluginCode = code;
          call.reject(error);
        }
        return;
      }
      case "register": {
        const fault = registrationFault(message.items);
        if (fault) this.#options.onLog?.("error", `registration refused: ${fault}`);
        else this.#options.onRegister?.(message.items);
        return;
      }
      case "unregister":
        this.#options.onUnregister?.(message.kind, message.name);
        return;
      case "bye":
        this.#bye?.();
        return;
      case "fatal":
        this.#die(`plugin "${this.#options.name}" crashed: ${message.error.message}`);
        return;
      default:
        this.#onStartupMessage?.(message);
    }
  }

  /** Calls `action` in the Worker; rejects on the plugin's error, a crash or `callMs`. */
  call(
    action: string,
    input: JsonValue,
    onProgress: (message: string) => void = () => {},
  ): Promise<JsonValue> {
    const { name, timeouts } = this.#options;
    if (this.#dead) {
      return Promise.reject(new RepocateError("PLUGIN_UNLOADED", this.#dead));
    }
    const id = this.#nextId++;
    return new Promise<JsonValue>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#calls.delete(id);
        reject(
          new RepocateError(
            "PLUGIN_TIMEOUT",
            `plugin "${name}": action "${action}" did not finish within ${timeouts.callMs} ms ` +
              `(timeouts.callMs in plugins.json); the plugin was stopped`,
          ),
        );
        if (this.#options.isolation !== "process") {
          this.#options.onLog?.(
            "warn",
            "a Worker stuck in a synchronous loop cannot be stopped (Deno 2.9): it may keep a CPU " +
              'core busy until repocate exits; "isolation": "process" in plugins.json lets ' +
              "repocate kill it",
          );
        }
        this.#die(`plugin "${name}" was stopped: action "${action}" timed out`);
      }, timeouts.callMs);
      this.#calls.set(id, { resolve, reject, onProgress, timer });
      this.#post({ t: "call", id, action, input });
    });
  }

  /** Ends the Worker once; pending calls reject with `code` and the reason. */
  #end(reason: string, code: "PLUGIN_CRASHED" | "PLUGIN_UNLOADED"): boolean {
    if (this.#dead) return false;
    this.#dead = reason;
    this.#stopTimers();
    this.#worker.terminate();
    for (const call of this.#calls.values()) {
      clearTimeout(call.timer);
      call.reject(new RepocateError(code, reason));
    }
    this.#calls.clear();
    return true;
  }

  #die(reason: string): void {
    if (!this.#end(reason, "PLUGIN_CRASHED")) return;
    if (this.#onStartupCrash) this.#onStartupCrash(reason);
    else this.#options.onExit?.(reason);
  }

  /** Asks the plugin to dispose, waits up to `graceMs`, then terminates the Worker. */
  async shutdown(graceMs = 2000): Promise<void> {
    if (this.#dead) return;
    const said = new Promise<void>((resolve) => (this.#bye = resolve));
    let timer: ReturnType<typeof setTimeout> | undefined;
    this.#post({ t: "shutdown" });
    await Promise.race([said, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    this.terminate("unloaded");
  }

  /** Terminates the Worker at once; pending calls reject with `reason`. */
  terminate(reason: string): void {
    this.#end(`plugin "${this.#options.name}" ${reason}`, "PLUGIN_UNLOADED");
  }
}

function handshakeProblem(
  name: string,
  hello: Extract<WorkerMessage, { t: "hello" }>,
): string | null {
  if (hello.protocol !== PROTOCOL_VERSION) {
    const side = hello.protocol > PROTOCOL_VERSION ? "upgrade repocate" : "upgrade the plugin";
    return `plugin "${name}" speaks protocol ${hello.protocol}, this repocate speaks ${PROTOCOL_VERSION}: ${side}`;
  }
  const api = apiMismatch(name, hello.plugin.apiVersion, PLUGIN_API_VERSION);
  if (api) return api;
  if (hello.plugin.name !== name) {
    return `plugin "${name}": Ops.name is "${hello.plugin.name}" but plugins.json names it "${name}"`;
  }
  return null;
}

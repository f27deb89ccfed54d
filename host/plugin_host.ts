/**
 * The plugin host: loads every enabled plugin of a manifest into its own Worker, registers what
 * it offers in the central registry (an action becomes a proxy that calls into the Worker), and
 * keeps one plugin's failure from touching the others: a plugin that fails to build, mismatches
 * the lock, fails its type check or handshake, throws, hangs, crashes or claims a name another
 * plugin owns is reported and unloaded, with whatever it registered rolled back.
 *
 * @module
 */
import type { LogLevel } from "../interfaces.ts";
import { messageOf, RepocateError } from "../errors.ts";
import type { Lock, LockEntry, PluginEntry } from "../manifest/types.ts";
import type { Registry } from "../registry/mod.ts";
import { PluginCache } from "./cache.ts";
import { commandsNotOnPath, grantFlag, missingHostGrants } from "./host_grants.ts";
import { readableEnv } from "./readable_env.ts";
import { type PluginReady, PluginWorker } from "./plugin_worker.ts";
import { sha256 } from "./hash.ts";
import { PLUGIN_API_VERSION } from "../interfaces.ts";
import { PROTOCOL_VERSION, type WireAction } from "../protocol/messages.ts";
import { compileSchema, InvalidSchemaError } from "../registry/validate.ts";
import { moduleUrlFor, type PreparedPlugin, preparePlugin } from "./prepare.ts";
import { typeCheckPlugin } from "./typecheck.ts";
import { join } from "@std/path";
import { REPOCATE_ROOT } from "./deno_cli.ts";

/** A plugin's state as `plugins list` shows it. */
export interface PluginStatus {
  /** Manifest name. */
  name: string;
  /** Source as written in the manifest. */
  source: string;
  /** `local` or `remote`. */
  kind: "local" | "remote";
  /** `loaded`, `failed`, `disabled` (in the manifest) or `unloaded` (removed at run time). */
  state: "loaded" | "failed" | "disabled" | "unloaded";
  /** `Ops.version`, once known. */
  version?: string;
  /** `Ops.apiVersion`, once known. */
  apiVersion?: string;
  /** Graph integrity (remote) or code hash (local). */
  integrity?: string;
  /** Why it failed or stopped. */
  error?: { code: string; message: string };
  /** Warnings (a local development override). */
  warnings: string[];
  /** Names of the actions it registered. */
  actions: string[];
  /** Whether its Worker runs now (a cached plugin starts on its first call). */
  running?: boolean;
  /** Where it runs: a Worker in this process, or its own process (plugins.json `isolation`). */
  isolation: "worker" | "process";
  /** Its heap cap in MiB, if plugins.json sets `memoryMb`. */
  memoryMb?: number;
}

/** Options of a {@link PluginHost}. */
export interface PluginHostOptions {
  /** The registry plugins register into. */
  registry: Registry;
  /** The lock in force. */
  lock: Lock;
  /** Cache of verified bundles and type checks. */
  cache?: PluginCache;
  /** Refuse remote sources missing from the lock instead of recording them. */
  frozen?: boolean;
  /** Run Deno's type checker on each plugin before loading it (default true). */
  typeCheck?: boolean;
  /**
   * Register a plugin from its cached registration (same code, config and grants as a load that
   * succeeded) and start its Worker on the first call that needs it (default true). `false`
   * starts every Worker at load.
   */
  lazy?: boolean;
  /** Receives plugin log lines and host warnings, attributed to a plugin. */
  onLog?: (plugin: string, level: LogLevel, message: string) => void;
}

interface Loaded {
  entry: PluginEntry;
  prepared: PreparedPlugin;
  /** Key of its cached registration. */
  key: string;
  /** Its Worker, once started. */
  worker: PluginWorker | null;
  /** The start under way, if any. */
  starting: Promise<PluginWorker> | null;
}

/** A plugin readied by `#open`, waiting to be registered. */
interface Opened {
  loaded: Loaded;
  ready: PluginReady;
  fromCache: boolean;
}

/** The registration cache key: same code, name, config, grants and protocol, same registration. */
async function registrationKey(entry: PluginEntry, integrity: string): Promise<string> {
  return await sha256(JSON.stringify([
    integrity,
    entry.name,
    entry.config,
    entry.permissions,
    PLUGIN_API_VERSION,
    PROTOCOL_VERSION,
  ]));
}

/** Loads, runs and unloads plugins. */
export class PluginHost {
  #options: PluginHostOptions;
  #cache: PluginCache;
  #loaded = new Map<string, Loaded>();
  #status = new Map<string, PluginStatus>();
  #newLockEntries = new Map<string, LockEntry>();

  /** A host over `options.registry`. */
  constructor(options: PluginHostOptions) {
    this.#options = options;
    this.#cache = options.cache ?? new PluginCache();
  }

  /** Lock entries recorded for remote plugins the lock did not know (trust on first use). */
  get newLockEntries(): ReadonlyMap<string, LockEntry> {
    return this.#newLockEntries;
  }

  /** Every plugin's status, in load order. */
  list(): PluginStatus[] {
    return [...this.#status.values()].map((s) => ({ ...s, actions: [...s.actions] }));
  }

  /** One plugin's status (a copy). */
  get(name: string): PluginStatus | undefined {
    const status = this.#status.get(name);
    return status && { ...status, actions: [...status.actions] };
  }

  /**
   * Loads `entries`: code is prepared and checked concurrently, then plugins start and
   * register in manifest order, so which of two plugins owns a contested name is stable.
   * Never throws for a plugin's fault: the status says what failed.
   */
  async loadAll(entries: PluginEntry[]): Promise<PluginStatus[]> {
    for (const entry of entries) {
      this.#status.set(entry.name, this.#base(entry, entry.enabled ? "failed" : "disabled"));
    }
    const opened = entries.map((entry) =>
      entry.enabled
        ? this.#prepare(entry).then((p) => this.#open(entry, p), (e: unknown) => e as Error)
        : null
    );
    for (const [i, entry] of entries.entries()) {
      if (entry.enabled) await this.#commit(entry, (await opened[i])!);
    }
    return this.list();
  }

  /** Loads one plugin (e.g. after `plugins add`); returns its status. */
  async load(entry: PluginEntry): Promise<PluginStatus> {
    if (this.#loaded.has(entry.name)) await this.unload(entry.name);
    this.#status.set(entry.name, this.#base(entry, "failed"));
    const opened = await this.#prepare(entry).then(
      (p) => this.#open(entry, p),
      (e: unknown) => e as Error,
    );
    await this.#commit(entry, opened);
    return this.get(entry.name)!;
  }

  #base(entry: PluginEntry, state: PluginStatus["state"]): PluginStatus {
    return {
      name: entry.name,
      source: entry.sourceText,
      kind: entry.source.kind,
      state,
      warnings: [],
      actions: [],
      running: false,
      isolation: entry.isolation,
      ...(entry.memoryMb === undefined ? {} : { memoryMb: entry.memoryMb }),
    };
  }

  async #prepare(entry: PluginEntry): Promise<PreparedPlugin> {
    const missing = missingHostGrants(entry.permissions);
    const commands = commandsNotOnPath(missing);
    if (commands) {
      const names = commands.map((c) => `"${c}"`).join(", ");
      throw new RepocateError(
        "HOST_PERMISSIONS",
        `plugin "${entry.name}" needs the command ${names}, which was not found on PATH ` +
          `(${readableEnv("PATH") ?? "unset or not readable"}): install it or fix PATH`,
      );
    }
    if (missing.length) {
      throw new RepocateError(
        "HOST_PERMISSIONS",
        `plugin "${entry.name}" is granted more than this repocate process holds (${
          missing.map(grantFlag).join(" ")
        }); start repocate with \`deno task start\`, which derives its flags from plugins.json`,
      );
    }
    const prepared = await preparePlugin(entry, this.#options.lock, this.#cache, {
      frozen: this.#options.frozen ?? false,
      refresh: false,
    });
    if (this.#options.typeCheck ?? true) {
      await this.#typeCheck(entry, prepared.integrity);
    }
    return prepared;
  }

  /** interfaces.ts as this host checks against, read once. */
  #api: Promise<string> | null = null;

  async #typeCheck(entry: PluginEntry, integrity: string): Promise<void> {
    this.#api ??= Deno.readTextFile(join(REPOCATE_ROOT, "interfaces.ts")).catch(() => "");
    const api = await this.#api;
    // The integrity identifies the code (its hash, or its locked graph's), so it is the key.
    if (await this.#cache.passedCheck(integrity, api)) return;
    await typeCheckPlugin(entry.name, entry.source.url);
    await this.#cache.recordCheck(integrity, api).catch(() => {});
  }

  /**
   * Readies a prepared plugin without touching the registry: its cached registration, or a
   * started Worker and what it registered. Runs concurrently for all plugins of a load.
   */
  async #open(entry: PluginEntry, prepared: PreparedPlugin): Promise<Opened | Error> {
    const status = this.#status.get(entry.name)!;
    status.integrity = prepared.integrity;
    status.warnings = prepared.warnings;
    for (const warning of prepared.warnings) this.#log(entry.name, "warn", warning);
    if (prepared.newLockEntry && entry.source.kind === "remote") {
      this.#newLockEntries.set(entry.source.url, prepared.newLockEntry);
    }
    const key = await registrationKey(entry, prepared.integrity);
    const cached = (this.#options.lazy ?? true) ? await this.#cache.readRegistration(key) : null;
    const loaded: Loaded = { entry, prepared, key, worker: null, starting: null };
    if (cached) return { loaded, ready: cached, fromCache: true };
    try {
      return { loaded, ready: await this.#startWorker(loaded), fromCache: false };
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** Registers an opened plugin (in manifest order, so contested names go to the first). */
  async #commit(entry: PluginEntry, opened: Opened | Error): Promise<void> {
    if (opened instanceof Error) return this.#fail(entry.name, opened);
    const { loaded, ready, fromCache } = opened;
    const dead = loaded.worker?.deadReason;
    if (dead) return this.#fail(entry.name, new RepocateError("PLUGIN_CRASHED", dead));
    // A fresh registration has every input schema compiled before it counts (a cached one passed
    // this when it was made), so a schema ajv refuses fails the load, not a later call.
    const fault = fromCache ? undefined : await firstSchemaFault(ready.actions);
    if (fault) {
      loaded.worker?.terminate("unloaded: its registration was refused");
      return this.#fail(
        entry.name,
        new RepocateError("PLUGIN_SHAPE", `plugin "${entry.name}" was refused: ${fault}`),
      );
    }
    try {
      this.#register(loaded, ready);
    } catch (error) {
      loaded.worker?.terminate("unloaded: its registration was refused");
      return this.#fail(entry.name, error);
    }
    this.#loaded.set(entry.name, loaded);
    if (!fromCache) await this.#cache.writeRegistration(loaded.key, ready).catch(() => {});
  }

  #fail(name: string, error: unknown): void {
    const status = this.#status.get(name)!;
    status.state = "failed";
    status.running = false;
    status.actions = [];
    status.error = {
      code: error instanceof RepocateError ? error.code : "PLUGIN_INIT_FAILED",
      message: messageOf(error),
    };
    this.#log(name, "error", status.error.message);
  }

  /** Registers what `ready` describes; every action's invoker starts the Worker on demand. */
  #register(loaded: Loaded, ready: PluginReady): void {
    const { entry } = loaded;
    this.#options.registry.registerBatch(entry.name, {
      items: ready.items,
      actions: ready.actions.map((a) => ({
        ...a,
        invoke: async (input, onProgress) =>
          (await this.#ensureWorker(loaded)).call(a.name, input, onProgress),
        // Called before every call (see Registry.invoke): nothing to do once the Worker runs.
        prepare: () => {
          if (!loaded.worker) this.#ensureWorker(loaded).catch(() => {});
        },
      })),
    });
    const status = this.#status.get(entry.name)!;
    status.state = "loaded";
    status.version = ready.version;
    status.apiVersion = ready.apiVersion;
    status.actions = ready.actions.map((a) => a.name).sort();
  }

  /** Starts the plugin's Worker: handshake, initialize, registerWithRegistry. */
  async #startWorker(loaded: Loaded): Promise<PluginReady> {
    const { entry, prepared } = loaded;
    const { registry } = this.#options;
    const { worker, ready } = await PluginWorker.start({
      name: entry.name,
      moduleUrl: moduleUrlFor(prepared.code),
      permissions: entry.permissions,
      config: entry.config,
      timeouts: entry.timeouts,
      memoryMb: entry.memoryMb,
      isolation: entry.isolation,
      onLog: (level, message) => this.#log(entry.name, level, message),
      onRegister: (items) => {
        try {
          registry.registerBatch(entry.name, { items, actions: [] });
        } catch (error) {
          this.#log(entry.name, "error", messageOf(error));
        }
      },
      onUnregister: (kind, name) => registry.unregisterItem(entry.name, kind, name),
      onExit: (reason) => this.#onExit(entry.name, reason),
    });
    loaded.worker = worker;
    this.#status.get(entry.name)!.running = true;
    return ready;
  }

  /**
   * The running Worker of a plugin registered from the cache, started on first need. If it
   * now fails to start, the plugin is unloaded and its cached registration forgotten; if it
   * registers something else than the cache said, the registry is brought up to date.
   */
  #ensureWorker(loaded: Loaded): Promise<PluginWorker> {
    if (loaded.worker) return Promise.resolve(loaded.worker);
    loaded.starting ??= (async () => {
      const name = loaded.entry.name;
      try {
        const ready = await this.#startWorker(loaded);
        const cached = await this.#cache.readRegistration(loaded.key);
        if (JSON.stringify(cached) !== JSON.stringify(ready)) {
          this.#options.registry.unregisterOwner(name);
          this.#register(loaded, ready);
          await this.#cache.writeRegistration(loaded.key, ready).catch(() => {});
        }
        return loaded.worker!;
      } catch (error) {
        this.#loaded.delete(name);
        this.#options.registry.unregisterOwner(name);
        await this.#cache.dropRegistration(loaded.key);
        this.#fail(name, error);
        throw error;
      } finally {
        loaded.starting = null;
      }
    })();
    return loaded.starting;
  }

  #onExit(name: string, reason: string): void {
    this.#loaded.delete(name);
    this.#options.registry.unregisterOwner(name);
    const status = this.#status.get(name);
    if (status) {
      status.state = "failed";
      status.running = false;
      status.error = { code: "PLUGIN_CRASHED", message: reason };
      status.actions = [];
    }
    this.#log(name, "error", `${reason}; its actions and items were removed`);
  }

  /** Stops a plugin and drops its registry entries; returns whether it was loaded. */
  async unload(name: string): Promise<boolean> {
    const loaded = this.#loaded.get(name);
    if (!loaded) return false;
    this.#loaded.delete(name);
    this.#options.registry.unregisterOwner(name);
    await (loaded.starting?.catch(() => null) ?? Promise.resolve());
    await loaded.worker?.shutdown();
    const status = this.#status.get(name);
    if (status) {
      status.state = "unloaded";
      status.running = false;
      status.actions = [];
    }
    return true;
  }

  /** Unloads every plugin. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.#loaded.keys()].map((name) => this.unload(name)));
  }

  #log(plugin: string, level: LogLevel, message: string): void {
    this.#options.onLog?.(plugin, level, message);
  }
}

/** The first action whose input schema ajv refuses, as `action "x": invalid input schema: …`. */
async function firstSchemaFault(actions: WireAction[]): Promise<string | undefined> {
  for (const action of actions) {
    try {
      await compileSchema(action.inputSchema);
    } catch (error) {
      if (error instanceof InvalidSchemaError) return `action "${action.name}": ${error.message}`;
      throw error;
    }
  }
  return undefined;
}

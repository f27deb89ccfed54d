/**
 * The contract between repocate and its plugins.
 *
 * A plugin is one ES module that exports `Ops`, a value satisfying {@link Operation}. repocate
 * loads it in its own Worker with only the permissions its manifest entry grants, type-checks it
 * against this file, checks its shape again at run time, then lets it register items and actions.
 *
 * This file holds types and one constant only, so a plugin can `import type` it from a URL
 * without pulling any repocate code into its bundle.
 *
 * @module
 */

/**
 * The plugin API version this repocate speaks, as `major.minor`. A plugin declares the version
 * it was written for in {@link Operation.apiVersion}; the majors must match.
 */
export const PLUGIN_API_VERSION = "1.0";

/** A JSON value: what crosses the Worker boundary as action input and output. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * A JSON Schema (draft 2020-12 subset) describing an action's input. The host validates every
 * input against it before the call crosses into the plugin.
 */
export type JsonSchema = { [key: string]: JsonValue };

/** The log levels a plugin may use; messages show on the host under the plugin's name. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** A logger whose messages are shown by the host under the plugin's name. */
export interface Logger {
  /** Detail for `--verbose` runs. */
  debug(message: string): void;
  /** Normal progress. */
  info(message: string): void;
  /** Something the user should know about. */
  warn(message: string): void;
  /** A failure the plugin handled itself. */
  error(message: string): void;
}

/** What a plugin receives in {@link Operation.initialize}. */
export interface PluginContext {
  /** The plugin's name as the manifest gives it. */
  readonly name: string;
  /** The plugin's own `config` object from the manifest (an empty object when absent). */
  readonly config: JsonObject;
  /** The host's {@link PLUGIN_API_VERSION}. */
  readonly apiVersion: string;
  /** A logger shown under the plugin's name. */
  readonly log: Logger;
}

/** An item a plugin owns in the registry: a thing of some kind with a name and metadata. */
export interface ItemSpec {
  /** The kind of thing, e.g. `image-builder`, `environment`; lowercase, dashes allowed. */
  readonly kind: string;
  /** Its name, unique within its kind. */
  readonly name: string;
  /** Free JSON metadata shown by `repocate items list`. */
  readonly metadata?: JsonObject;
}

/** What an action handler receives besides its input. */
export interface ActionContext {
  /** Logger for this call; messages are attributed to the plugin. */
  readonly log: Logger;
  /** Reports progress of a long call (shown live by the CLI and streamed by the server). */
  progress(message: string): void;
}

/** A handler: receives validated input, returns a JSON value (or nothing). */
export type ActionHandler = (
  input: JsonValue,
  ctx: ActionContext,
) => JsonValue | void | Promise<JsonValue | void>;

/** An action a plugin offers: a name such as `docker.container.start`, and its handler. */
export interface ActionSpec {
  /** Dotted lowercase name, e.g. `git.clone`. Unique across all plugins. */
  readonly name: string;
  /** One line saying what it does, shown by `repocate actions list`. */
  readonly description: string;
  /** JSON Schema of the input; the host rejects input that does not match it. */
  readonly inputSchema: JsonSchema;
  /** Runs inside the plugin's Worker. */
  readonly handler: ActionHandler;
}

/** The view of the central registry a plugin gets in {@link Operation.registerWithRegistry}. */
export interface Registry {
  /** Registers an item owned by this plugin. Throws `TypeError` on a bad or duplicate name. */
  registerItem(item: ItemSpec): void;
  /** Removes an item this plugin registered. Returns whether it existed. */
  unregisterItem(kind: string, name: string): boolean;
  /** Registers an action owned by this plugin. Throws `TypeError` on a bad or duplicate name. */
  registerAction(action: ActionSpec): void;
}

/**
 * What every plugin exports as `Ops`.
 *
 * Lifecycle: the host imports the module, checks this shape, calls {@link initialize} once,
 * then {@link registerWithRegistry} once, then routes calls of the registered actions to their
 * handlers until {@link dispose}. Each step runs under the timeouts the manifest sets.
 */
export interface Operation {
  /** The plugin's name; must equal its name in the manifest. */
  readonly name: string;
  /** The plugin's own version (semver), shown by `repocate plugins list`. */
  readonly version: string;
  /** The {@link PLUGIN_API_VERSION} this plugin was written for; majors must match the host's. */
  readonly apiVersion: string;
  /** Prepares the plugin (reads config, opens clients). Throwing here unloads the plugin. */
  initialize(ctx: PluginContext): void | Promise<void>;
  /** Registers the plugin's items and actions. Throwing here unloads the plugin. */
  registerWithRegistry(registry: Registry): void | Promise<void>;
  /** Releases what the plugin holds; called on unload and shutdown. */
  dispose?(): void | Promise<void>;
}

/**
 * What the central registry holds: items and actions, each with the plugin that owns it.
 *
 * @module
 */
import type { JsonObject, JsonSchema, JsonValue } from "../interfaces.ts";

/** Calls an action's implementation (in its plugin's Worker); receives validated input. */
export type Invoker = (
  input: JsonValue,
  onProgress: (message: string) => void,
) => Promise<JsonValue>;

/** An item as the registry stores it. */
export interface RegisteredItem {
  /** Its kind. */
  kind: string;
  /** Its name, unique within the kind. */
  name: string;
  /** The plugin that owns it. */
  owner: string;
  /** Free JSON metadata. */
  metadata: JsonObject;
}

/** An action as the registry describes it (without its implementation). */
export interface ActionInfo {
  /** Dotted name, unique across plugins. */
  name: string;
  /** The plugin that owns it. */
  owner: string;
  /** One-line description. */
  description: string;
  /** JSON Schema of the input. */
  inputSchema: JsonSchema;
}

/** An action together with the function that runs it. */
export interface RegisteredAction extends ActionInfo {
  /** Runs the action. */
  invoke: Invoker;
  /**
   * Gets the action ready to run without running it (its plugin's Worker starts), so a command
   * can start what it will need at once instead of one after another. Never throws; a failure
   * shows when the action is invoked.
   */
  prepare?: () => void;
}

/** A change to the registry, as delivered to listeners. */
export type RegistryEvent =
  | { type: "item-added" | "item-removed"; item: RegisteredItem }
  | { type: "action-added" | "action-removed"; action: ActionInfo };

/** What a plugin asks to register at once: all of it is added, or none. */
export interface RegistrationBatch {
  /** Items to add. */
  items: Omit<RegisteredItem, "owner">[];
  /** Actions to add. */
  actions: Omit<RegisteredAction, "owner">[];
}

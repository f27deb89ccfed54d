/**
 * The central registry: items by kind and name, actions by name, each owned by one plugin.
 * It knows nothing of Workers: an action's implementation is an {@link Invoker} function.
 *
 * Invariants (registry_test.ts): a name has one owner; a batch is added whole or not at all;
 * input is validated against the action's schema before its invoker runs (the schema is
 * compiled then, on first use, loading ajv; registration refuses what it can tell is invalid
 * without ajv, see validate.ts); removing an owner removes exactly what it owns; every change
 * is announced to listeners once.
 *
 * @module
 */
import type { JsonValue } from "../interfaces.ts";
import { messageOf, RepocateError } from "../errors.ts";
import { checkActionName, checkItemKey } from "./names.ts";
import { InvalidSchemaError, lazyValidator, schemaFault, type Validator } from "./validate.ts";
import type {
  ActionInfo,
  RegisteredAction,
  RegisteredItem,
  RegistrationBatch,
  RegistryEvent,
} from "./types.ts";

interface StoredAction extends RegisteredAction {
  validate: Validator;
}

const itemKey = (kind: string, name: string) => `${kind}\u0000${name}`;

/** Most input faults one INPUT_INVALID message lists; the rest are counted. */
const MAX_FAULTS = 8;

function describe(action: StoredAction): ActionInfo {
  const { name, owner, description, inputSchema } = action;
  return { name, owner, description, inputSchema };
}

/** Options for {@link Registry.invoke}. */
export interface InvokeOptions {
  /** Receives progress messages from the action. */
  onProgress?: (message: string) => void;
}

/** The central registry of items and actions. */
export class Registry {
  #items = new Map<string, RegisteredItem>();
  #actions = new Map<string, StoredAction>();
  #listeners = new Set<(event: RegistryEvent) => void>();

  /**
   * Adds everything in `batch` for `owner`, or nothing: a bad name, an invalid schema, or a
   * name another owner holds throws and leaves the registry unchanged. An item `owner` already
   * holds is replaced (one `item-added` event with the new metadata). Schemas are checked
   * without ajv here ({@link schemaFault}); the rare fault only ajv finds (an unresolvable
   * `$ref`, say) shows on the action's first call, see {@link Registry.invoke}.
   */
  registerBatch(owner: string, batch: RegistrationBatch): void {
    const items: RegisteredItem[] = [];
    const seenItems = new Set<string>();
    for (const item of batch.items) {
      checkItemKey(item.kind, item.name);
      const key = itemKey(item.kind, item.name);
      const holder = this.#items.get(key)?.owner;
      if ((holder && holder !== owner) || seenItems.has(key)) {
        throw new RepocateError(
          "NAME_CONFLICT",
          `cannot register item ${item.kind} "${item.name}" for plugin "${owner}": ` +
            `already owned by plugin "${holder ?? owner}"`,
        );
      }
      seenItems.add(key);
      items.push({ ...item, metadata: item.metadata ?? {}, owner });
    }
    const actions: StoredAction[] = [];
    const seenActions = new Set<string>();
    for (const action of batch.actions) {
      checkActionName(action.name);
      const holder = this.#actions.get(action.name)?.owner;
      if (holder || seenActions.has(action.name)) {
        throw new RepocateError(
          "NAME_CONFLICT",
          `cannot register action "${action.name}" for plugin "${owner}": ` +
            `already owned by plugin "${holder ?? owner}"`,
        );
      }
      seenActions.add(action.name);
      let validate: Validator;
      try {
        // Compiled on the action's first call: ajv stays off start-up. Not checked against the
        // meta-schema then: schemaFault checks it here, and the plugin host has ajv check the
        // schemas of a plugin it has not loaded before (a cached registration was checked so).
        const fault = schemaFault(action.inputSchema);
        if (fault) throw new InvalidSchemaError(fault);
        validate = lazyValidator(action.inputSchema, { checkSchema: false });
      } catch (error) {
        throw new TypeError(`action "${action.name}" of plugin "${owner}": ${messageOf(error)}`);
      }
      actions.push({ ...action, owner, validate });
    }
    for (const item of items) {
      this.#items.set(itemKey(item.kind, item.name), item);
      this.#emit({ type: "item-added", item });
    }
    for (const action of actions) {
      this.#actions.set(action.name, action);
      this.#emit({ type: "action-added", action: describe(action) });
    }
  }

  /** Removes one item of `owner`; returns whether it existed. Items of others are left alone. */
  unregisterItem(owner: string, kind: string, name: string): boolean {
    const key = itemKey(kind, name);
    const item = this.#items.get(key);
    if (!item || item.owner !== owner) return false;
    this.#items.delete(key);
    this.#emit({ type: "item-removed", item });
    return true;
  }

  /** Removes one action by name; returns whether it existed. */
  unregisterAction(name: string): boolean {
    const action = this.#actions.get(name);
    if (!action) return false;
    this.#actions.delete(name);
    this.#emit({ type: "action-removed", action: describe(action) });
    return true;
  }

  /** Removes everything `owner` registered; returns how many entries went. */
  unregisterOwner(owner: string): number {
    let removed = 0;
    for (const item of [...this.#items.values()]) {
      if (item.owner === owner && this.unregisterItem(owner, item.kind, item.name)) removed++;
    }
    for (const action of [...this.#actions.values()]) {
      if (action.owner === owner && this.unregisterAction(action.name)) removed++;
    }
    return removed;
  }

  /** Items, optionally of one kind, sorted by kind then name. */
  listItems(kind?: string): RegisteredItem[] {
    return [...this.#items.values()]
      .filter((i) => kind === undefined || i.kind === kind)
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  }

  /** One item, or `undefined`. */
  getItem(kind: string, name: string): RegisteredItem | undefined {
    return this.#items.get(itemKey(kind, name));
  }

  /** Actions sorted by name, optionally only those of one owner. */
  listActions(owner?: string): ActionInfo[] {
    return [...this.#actions.values()]
      .filter((a) => owner === undefined || a.owner === owner)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(describe);
  }

  /** One action's description, or `undefined`. */
  getAction(name: string): ActionInfo | undefined {
    const action = this.#actions.get(name);
    return action && describe(action);
  }

  /**
   * Validates `input` against the action's schema, then runs it. Throws `ACTION_NOT_FOUND`,
   * `INPUT_INVALID`, or `PLUGIN_SHAPE` when ajv refuses the schema itself (on every call),
   * before the invoker runs (the action is prepared meanwhile: its plugin may start); the
   * invoker's own errors pass through.
   */
  async invoke(name: string, input: JsonValue, options: InvokeOptions = {}): Promise<JsonValue> {
    const action = this.#actions.get(name);
    if (!action) {
      const near = [...this.#actions.keys()].sort().filter((n) =>
        n.split(".")[0] === name.split(".")[0]
      );
      const shown = JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name);
      throw new RepocateError(
        "ACTION_NOT_FOUND",
        `no action ${shown}` +
          (near.length ? ` (did you mean ${near.slice(0, 3).join(", ")}?)` : "") +
          "; `repocate actions list` shows them",
      );
    }
    // The plugin starts (if it is not running) while the input is checked: an action's first
    // check compiles its schema (and the process's first loads ajv).
    action.prepare?.();
    let faults: string[];
    try {
      faults = await action.validate(input);
    } catch (error) {
      if (!(error instanceof InvalidSchemaError)) throw error;
      throw new RepocateError(
        "PLUGIN_SHAPE",
        `action "${name}" of plugin "${action.owner}": ${error.message}`,
        { cause: error },
      );
    }
    if (faults.length) {
      const more = faults.length > MAX_FAULTS ? `; and ${faults.length - MAX_FAULTS} more` : "";
      throw new RepocateError(
        "INPUT_INVALID",
        `action "${name}": invalid input: ${faults.slice(0, MAX_FAULTS).join("; ")}${more}`,
      );
    }
    return await action.invoke(input, options.onProgress ?? (() => {}));
  }

  /**
   * Prepares the named actions ({@link RegisteredAction.prepare}): their plugins start now, side
   * by side. Unknown names are ignored.
   */
  prepare(names: string[]): void {
    for (const name of names) this.#actions.get(name)?.prepare?.();
  }

  /** Calls `listener` on every change until the returned function is called. */
  subscribe(listener: (event: RegistryEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: RegistryEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A failing listener must not break the registry or the other listeners.
      }
    }
  }
}

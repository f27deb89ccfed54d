/**
 * The central registry of items and actions.
 *
 * @module
 */
export { Registry } from "./registry.ts";
export type { InvokeOptions } from "./registry.ts";
export type {
  ActionInfo,
  Invoker,
  RegisteredAction,
  RegisteredItem,
  RegistrationBatch,
  RegistryEvent,
} from "./types.ts";
export { ACTION_NAME, ITEM_KIND, ITEM_NAME } from "./names.ts";

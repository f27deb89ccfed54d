/**
 * The messages between the host and a plugin's Worker. Errors cross as data
 * (`{ code, message }`), never as Error objects; values are JSON.
 *
 * Sequence: host `init` → worker `hello` (protocol and the plugin's declared versions) → host
 * `start` (or `shutdown` on a version mismatch) → worker `ready` with its registrations, or
 * `failed`. Then host `call`s and worker `result`s by id, `progress` and `log` at any time,
 * `register`/`unregister` for items the plugin adds later, `fatal` when an error escapes the
 * plugin outside any call (the Worker then closes), and `shutdown` → `bye`.
 *
 * @module
 */
import type { JsonObject, JsonSchema, JsonValue, LogLevel } from "../interfaces.ts";

/** The version of this message protocol; bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1;

/** An error as data. `code` is a {@link import("../errors.ts").ErrorCode} or a plugin's own. */
export interface WireError {
  /** Stable code, e.g. `PERMISSION_DENIED`. */
  code: string;
  /** One-line message. */
  message: string;
}

/** An item as it crosses the boundary. */
export interface WireItem {
  /** Kind. */
  kind: string;
  /** Name. */
  name: string;
  /** Metadata. */
  metadata: JsonObject;
}

/** An action as it crosses the boundary (its handler stays in the Worker). */
export interface WireAction {
  /** Name. */
  name: string;
  /** Description. */
  description: string;
  /** Input schema. */
  inputSchema: JsonSchema;
}

/** Host → Worker. */
export type HostMessage =
  | {
    t: "init";
    protocol: number;
    apiVersion: string;
    plugin: { name: string; config: JsonObject };
    /** The module to import: a `data:` URL of content the host verified, or a `file:` URL. */
    moduleUrl: string;
  }
  | { t: "start" }
  | { t: "call"; id: number; action: string; input: JsonValue }
  | { t: "shutdown" };

/** Worker → host. */
export type WorkerMessage =
  | {
    t: "hello";
    protocol: number;
    plugin: { name: string; version: string; apiVersion: string };
  }
  | { t: "ready"; items: WireItem[]; actions: WireAction[] }
  | { t: "failed"; stage: "import" | "shape" | "initialize" | "register"; error: WireError }
  | { t: "result"; id: number; ok: true; value: JsonValue }
  | { t: "result"; id: number; ok: false; error: WireError }
  | { t: "progress"; id: number; message: string }
  | { t: "log"; level: LogLevel; message: string }
  | { t: "register"; items: WireItem[] }
  | { t: "unregister"; kind: string; name: string }
  | { t: "fatal"; error: WireError }
  | { t: "bye" };

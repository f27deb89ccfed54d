/**
 * Turns anything thrown inside a plugin into a {@link WireError}. Pure.
 *
 * @module
 */
import type { WireError } from "../protocol/messages.ts";

/** Maps a thrown value to `{ code, message }`; Deno's `NotCapable` becomes `PERMISSION_DENIED`. */
export function toWireError(error: unknown): WireError {
  const message = (error instanceof Error ? error.message : String(error))
    .replace(/\s*\n\s*/g, " ").trim().slice(0, 4000) || "unknown error";
  if (error instanceof Error) {
    const denied = error.name === "NotCapable" || error.name === "PermissionDenied" ||
      /^Requires \w+ access/.test(message);
    if (denied) {
      return { code: "PERMISSION_DENIED", message: permissionMessage(message) };
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return { code, message };
  }
  return { code: "ACTION_FAILED", message };
}

/** Rewrites Deno's "run again with the --allow-x flag" advice into the manifest's terms. */
export function permissionMessage(message: string): string {
  const key = message.match(/Requires (\w+) access/)?.[1];
  const core = message.replace(/,? run again with the --allow-\w+ flag\.?$/, "");
  return key
    ? `permission denied: ${core} (not granted by plugins.json: permissions.${key})`
    : `permission denied: ${core}`;
}

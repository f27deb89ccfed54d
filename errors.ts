/**
 * repocate's error tree: one class with a stable `code` that callers (the CLI's exit status, the
 * HTTP server's status codes) switch on. Messages are one line and name what failed and where.
 *
 * @module
 */

/** Stable error codes. `usage` codes are the caller's fault (exit 2), the rest exit 1. */
export type ErrorCode =
  | "MANIFEST_INVALID"
  | "LOCK_INVALID"
  | "LOCK_MISMATCH"
  | "LOCK_MISSING"
  | "PLUGIN_NOT_FOUND"
  | "PLUGIN_SOURCE"
  | "PLUGIN_TYPE_CHECK"
  | "PLUGIN_SHAPE"
  | "PLUGIN_HANDSHAKE"
  | "PLUGIN_INIT_FAILED"
  | "PLUGIN_TIMEOUT"
  | "PLUGIN_CRASHED"
  | "PLUGIN_UNLOADED"
  | "PERMISSION_DENIED"
  | "HOST_PERMISSIONS"
  | "NAME_CONFLICT"
  | "ACTION_NOT_FOUND"
  | "INPUT_INVALID"
  | "ACTION_FAILED"
  | "USAGE"
  | "INTERNAL"
  // The HTTP service's own (see http/errors.ts for their statuses).
  | "ENVIRONMENT_NOT_FOUND"
  | "OPERATION_NOT_FOUND"
  | "ENVIRONMENT_BUSY"
  | "NOT_FOUND"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "PAYLOAD_TOO_LARGE";

const USAGE_CODES: ReadonlySet<ErrorCode> = new Set([
  "MANIFEST_INVALID",
  "LOCK_INVALID",
  "INPUT_INVALID",
  "ACTION_NOT_FOUND",
  "PLUGIN_NOT_FOUND",
  "USAGE",
  "ENVIRONMENT_NOT_FOUND",
  "OPERATION_NOT_FOUND",
  "NOT_FOUND",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "PAYLOAD_TOO_LARGE",
]);

/** An error repocate raises on purpose: a stable code and a one-line message. */
export class RepocateError extends Error {
  /** The stable code. */
  readonly code: ErrorCode;

  /** Makes an error with `code` and `message` (folded onto one line); keep the original as `cause`. */
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    // One line, always: text quoted from inputs or tools may carry line breaks.
    super(message.replace(/\s*[\r\n]+\s*/g, " "), options);
    this.name = "RepocateError";
    this.code = code;
  }

  /** Whether the caller's input is at fault (exit status 2) rather than an operation (1). */
  get isUsage(): boolean {
    return USAGE_CODES.has(this.code);
  }
}

/** The message of any thrown value, on one line. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, " ").trim();
}

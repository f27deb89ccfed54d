/**
 * The one place error codes become HTTP statuses. Every error leaves the service as
 * `{ "error": { "code", "message", "issues"? } }`: a stable code, a one-line message, never a
 * stack. Anything that is not a {@link RepocateError} is answered `500 INTERNAL` with a generic
 * message; its detail goes to the server's log only.
 *
 * @module
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ErrorCode, messageOf, RepocateError } from "../errors.ts";

/** One fault of a request body: its JSON path and what is wrong there. */
export interface Issue {
  /** JSON path, e.g. `permissions.read[0]`, or `(root)`. */
  path: string;
  /** What is wrong. */
  message: string;
}

/** A {@link RepocateError} raised by the HTTP layer, optionally listing body faults. */
export class RequestError extends RepocateError {
  /** Each fault with its JSON path (for `INPUT_INVALID`). */
  readonly issues?: Issue[];

  /** Makes an error with `code`, a one-line `message` and optional `issues`. */
  constructor(code: ErrorCode, message: string, issues?: Issue[]) {
    super(code, message);
    this.name = "RequestError";
    this.issues = issues;
  }
}

/** The body of every error response. */
export interface ErrorBody {
  /** The error. */
  error: { code: string; message: string; issues?: Issue[] };
}

const STATUS: Partial<Record<string, ContentfulStatusCode>> = {
  USAGE: 400,
  INPUT_INVALID: 400,
  MANIFEST_INVALID: 400,
  LOCK_INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  PERMISSION_DENIED: 403,
  NAME_CONFLICT: 409,
  ENVIRONMENT_BUSY: 409,
  LOCK_MISMATCH: 409,
  PAYLOAD_TOO_LARGE: 413,
  // A plugin a client submitted (POST /v1/plugins) that repocate refused to load.
  PLUGIN_SOURCE: 422,
  PLUGIN_TYPE_CHECK: 422,
  PLUGIN_SHAPE: 422,
  PLUGIN_HANDSHAKE: 422,
  PLUGIN_INIT_FAILED: 422,
  HOST_PERMISSIONS: 422,
};

/**
 * The status for an error code: 400 bad input, 401 no or wrong token, 403 refused (by the
 * origin guard or a plugin's sandbox), 404 any `*_NOT_FOUND`, 409 a name or lock conflict,
 * 413 too large, 422 a submitted plugin refused, 500 everything else (a failed action, a
 * crashed plugin, an internal error).
 */
export function statusFor(code: string): ContentfulStatusCode {
  if (code.endsWith("NOT_FOUND")) return 404;
  return STATUS[code] ?? 500;
}

/** An error response for `code` and `message`. */
export function errorResponse(
  c: Context,
  code: string,
  message: string,
  issues?: Issue[],
): Response {
  const body: ErrorBody = { error: { code, message, ...(issues?.length ? { issues } : {}) } };
  if (code === "UNAUTHORIZED") c.header("WWW-Authenticate", 'Bearer realm="repocate"');
  return c.json(body, statusFor(code));
}

const HTTP_CODES: Record<number, ErrorCode> = {
  400: "INPUT_INVALID",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  413: "PAYLOAD_TOO_LARGE",
};

/** The app's `onError`: maps codes to statuses, hides everything unexpected. */
export function errorHandler(log: (line: string) => void): ErrorHandler {
  return (error, c) => {
    if (error instanceof RepocateError) {
      const issues = error instanceof RequestError ? error.issues : undefined;
      return errorResponse(c, error.code, messageOf(error), issues);
    }
    if (error instanceof HTTPException && HTTP_CODES[error.status]) {
      const code = HTTP_CODES[error.status];
      return errorResponse(c, code, messageOf(error) || code.toLowerCase().replaceAll("_", " "));
    }
    log(
      `repocate serve: internal error on ${c.req.method} ${c.req.path}: ${
        error instanceof Error ? error.stack ?? error.message : String(error)
      }`,
    );
    return errorResponse(c, "INTERNAL", "internal error; the server's log has the detail");
  };
}

/** The app's `notFound`: a JSON 404 naming the method and path. */
export const notFoundHandler: NotFoundHandler = (c) =>
  errorResponse(c, "NOT_FOUND", `no route ${c.req.method} ${c.req.path}; see /v1/openapi.json`);

/**
 * Errors the docker plugin throws. Each carries a stable `code` and a message that stands on
 * its own, and never holds a dockerode object, so the host can pass it on as plain data.
 *
 * @module
 */
import { type EngineAddress, formatAddress } from "./client.ts";

/** Stable error codes of the docker plugin. */
export type DockerErrorCode =
  | "unreachable"
  | "not_found"
  | "conflict"
  | "build_failed"
  | "invalid_input"
  | "permission_denied"
  | "engine_error";

/** An error of the docker plugin: a message and a stable {@link DockerErrorCode}. */
export class DockerPluginError extends Error {
  /** What went wrong, for callers that branch on it. */
  readonly code: DockerErrorCode;
  /** The engine's HTTP status, when the engine answered. */
  readonly statusCode?: number;

  /** Makes an error; `statusCode` is the engine's HTTP status when there is one. */
  constructor(code: DockerErrorCode, message: string, statusCode?: number) {
    super(message);
    this.name = "DockerPluginError";
    this.code = code;
    if (statusCode !== undefined) this.statusCode = statusCode;
  }
}

/** The fields of a dockerode / node error this module looks at. */
interface EngineFailure {
  statusCode?: unknown;
  code?: unknown;
  name?: unknown;
  message?: unknown;
  json?: unknown;
}

const CONNECT_CODES = new Set([
  "ENOENT",
  "ECONNREFUSED",
  "EACCES",
  "EPERM",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EAI_AGAIN",
]);

/** How to get an engine running, appended to every "unreachable" message. */
export const START_ENGINE_HINT =
  "Start a Docker engine (e.g. `sudo systemctl start docker`, or `sudo bash .ci/docker.sh start` " +
  "in a repocate checkout, which serves unix:///run/repocate-ci/docker.sock), then point " +
  "DOCKER_HOST or the docker plugin's config.host at it.";

/** The message for an engine that does not answer at `address`. */
export function unreachableMessage(address: EngineAddress, reason: string): string {
  return `cannot reach the Docker engine at ${
    formatAddress(address)
  } (${reason}). ${START_ENGINE_HINT}`;
}

/** The engine's own message in a dockerode error, else the error's message. */
function engineMessage(error: unknown): string {
  if (!error || typeof error !== "object") return String(error);
  const failure = error as EngineFailure;
  const json = failure.json;
  if (json && typeof json === "object" && "message" in json) {
    const message = (json as { message: unknown }).message;
    if (typeof message === "string") return message.trim();
  }
  if (typeof json === "string" && json.trim() !== "") return json.trim();
  return typeof failure.message === "string" ? failure.message : String(failure);
}

/**
 * Turns whatever a dockerode call threw into a {@link DockerPluginError}: connection failures
 * become `unreachable` (naming the address and how to start an engine), a Worker permission
 * denial says which permission is missing, and engine answers keep their status and message.
 * `what` says what was being done, e.g. `start container "web"`.
 */
export function toPluginError(error: unknown, address: EngineAddress, what: string) {
  if (error instanceof DockerPluginError) return error;
  const failure: EngineFailure = error && typeof error === "object" ? error : {};
  if (failure.name === "NotCapable" || failure.name === "PermissionDenied") {
    const need = address.kind === "unix"
      ? `read, write and net "unix:${address.socketPath}"`
      : `net "${address.host}:${address.port}"`;
    return new DockerPluginError(
      "unreachable",
      unreachableMessage(
        address,
        `permission denied: the plugin needs ${need}; ${failure.message}`,
      ),
    );
  }
  if (typeof failure.code === "string" && CONNECT_CODES.has(failure.code)) {
    return new DockerPluginError(
      "unreachable",
      unreachableMessage(address, `${failure.code}: ${String(failure.message ?? "")}`.trim()),
    );
  }
  const status = typeof failure.statusCode === "number" ? failure.statusCode : undefined;
  const message = `docker: ${what}: ${engineMessage(error)}`;
  if (status === 404) return new DockerPluginError("not_found", message, status);
  if (status === 409) return new DockerPluginError("conflict", message, status);
  if (status === 400) return new DockerPluginError("invalid_input", message, status);
  return new DockerPluginError("engine_error", message, status);
}

/** True when `error` is a 404 from the engine (or already a `not_found` plugin error). */
export function isNotFound(error: unknown): boolean {
  if (error instanceof DockerPluginError) return error.code === "not_found";
  return !!error && typeof error === "object" &&
    (error as EngineFailure).statusCode === 404;
}

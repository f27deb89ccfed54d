/**
 * The git plugin's errors: one class with a stable `code` that the host carries across the
 * Worker boundary as `{ code, message }`. Messages are one line and name what failed.
 *
 * @module
 */

/** Stable codes of {@link GitError}, in the host's `UPPER_SNAKE` form. */
export type GitErrorCode =
  | "GIT_CONFIG_INVALID"
  | "GIT_INPUT_INVALID"
  | "GIT_URL_INVALID"
  | "GIT_OUTSIDE_WORKSPACE"
  | "GIT_DEST_NOT_EMPTY"
  | "GIT_REPO_NOT_FOUND"
  | "GIT_AUTH_REQUIRED"
  | "GIT_BRANCH_NOT_FOUND"
  | "GIT_NETWORK"
  | "GIT_NOT_A_REPO"
  | "GIT_SNAPSHOT_NOT_FOUND"
  | "GIT_NOT_INSTALLED"
  | "GIT_READ_ONLY"
  | "GIT_FAILED";

/** An error the git plugin raises on purpose: a stable code and a one-line message. */
export class GitError extends Error {
  /** The stable code. */
  readonly code: GitErrorCode;

  /** Makes an error; the message is flattened to one line, the original kept as `cause`. */
  constructor(code: GitErrorCode, message: string, options?: ErrorOptions) {
    super(oneLine(message), options);
    this.name = "GitError";
    this.code = code;
  }
}

/** `text` on one line: runs of whitespace (newlines included) become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** The message of any thrown value, on one line. */
export function messageOf(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

/**
 * Whether `error` says a filesystem is read-only: a Deno I/O error with code `EROFS`, or git's
 * stderr (or any message) saying "Read-only file system".
 */
export function isReadOnlyFs(error: unknown): boolean {
  if ((error as { code?: unknown } | null)?.code === "EROFS") return true;
  const stderr = (error as { stderr?: unknown } | null)?.stderr;
  const text = typeof stderr === "string" && stderr !== "" ? stderr : messageOf(error);
  return /read-only file system/i.test(text);
}

/** A `GIT_READ_ONLY` error: `doing` failed because `path` is on a read-only filesystem. */
export function readOnlyError(doing: string, path: string, cause: unknown): GitError {
  return new GitError(
    "GIT_READ_ONLY",
    `cannot ${doing}: ${path} is on a read-only filesystem (nothing was changed)`,
    { cause },
  );
}

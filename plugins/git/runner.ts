/**
 * Runs git through simple-git with an explicit, minimal environment.
 *
 * simple-git is imported lazily: its dependency `debug` enumerates the whole environment
 * (`Object.keys(process.env)`) when it loads, which in a Worker without full `env` access throws
 * `NotCapable`. So before the first import, when full env access is not granted, `process.env` is
 * replaced by a plain object holding only the {@link PASSTHROUGH_ENV} names that are granted.
 * git itself never sees `process.env`: every call passes {@link gitEnv}.
 *
 * Needs: `run` for `git`; `env` for `NODE_V8_COVERAGE` (Deno's `node:child_process` reads it
 * on every spawn) plus whichever {@link PASSTHROUGH_ENV} names should reach git; `read` on the
 * directory git runs in (simple-git checks it exists).
 *
 * @module
 */
import type { SimpleGit, SimpleGitProgressEvent } from "simple-git";
import process from "node:process";
import { Buffer } from "node:buffer";
import { posix } from "node:path";
import { GitError, oneLine } from "./errors.ts";

/** Variables copied from the host environment into git's, when the Worker may read them. */
export const PASSTHROUGH_ENV: readonly string[] = [
  "PATH",
  "HOME",
  "XDG_CONFIG_HOME",
  "SSH_AUTH_SOCK",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
];

/** The `PATH` git gets when the Worker may not read the host's. */
export const DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

/** A failed git command: its exit code and its stderr, for classifying the failure. */
export class GitCommandError extends Error {
  /** git's arguments. */
  readonly args: readonly string[];
  /** git's exit status (or -1 when it did not run). */
  readonly exitCode: number;
  /** git's stderr as text. */
  readonly stderr: string;

  /** Makes the error; its message names the command and {@link mainProblem} of stderr. */
  constructor(args: readonly string[], exitCode: number, stderr: string, options?: ErrorOptions) {
    super(`git ${args[0] ?? ""} failed (exit ${exitCode}): ${mainProblem(stderr)}`, options);
    this.name = "GitCommandError";
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/** Options of {@link runGit}. */
export interface RunOptions {
  /** Variables added to {@link gitEnv} for this call (e.g. `GIT_INDEX_FILE`). */
  env?: Record<string, string>;
  /** Receives simple-git's progress events (clone, fetch, checkout). */
  progress?: (event: SimpleGitProgressEvent) => void;
  /** Workspace root; git will not look for a repository above it. */
  workspaceRoot?: string;
}

/** Whether the Worker may read env variable `name` (or all of them), without prompting. */
export function mayReadEnv(name?: string): boolean {
  const descriptor: Deno.PermissionDescriptor = name === undefined
    ? { name: "env" }
    : { name: "env", variable: name };
  return Deno.permissions.querySync(descriptor).state === "granted";
}

/** The granted subset of {@link PASSTHROUGH_ENV}, read from the host environment. */
export function passthroughEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSTHROUGH_ENV) {
    const value = mayReadEnv(name) ? Deno.env.get(name) : undefined;
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * The environment every git call gets: the granted pass-through variables, a `PATH`, the C
 * locale (so messages can be classified), no prompts of any kind (`GIT_TERMINAL_PROMPT=0`,
 * ssh in batch mode), only the https, http, ssh and file transports, no optional locks (so
 * `status` never rewrites the index), and no repository discovery above the workspace root.
 */
export function gitEnv(
  extra: Record<string, string> = {},
  workspaceRoot?: string,
): Record<string, string> {
  return {
    PATH: DEFAULT_PATH,
    ...passthroughEnv(),
    LC_ALL: "C",
    GIT_TERMINAL_PROMPT: "0",
    GCM_INTERACTIVE: "never",
    GIT_SSH_COMMAND: "ssh -o BatchMode=yes",
    GIT_ALLOW_PROTOCOL: "https:http:ssh:file",
    GIT_OPTIONAL_LOCKS: "0",
    ...(workspaceRoot ? { GIT_CEILING_DIRECTORIES: posix.dirname(workspaceRoot) } : {}),
    ...extra,
  };
}

let simpleGitModule: Promise<typeof import("simple-git")> | undefined;

/** Imports simple-git once, first confining `process.env` when full env access is absent. */
export function loadSimpleGit(): Promise<typeof import("simple-git")> {
  simpleGitModule ??= (async () => {
    if (!mayReadEnv()) confineProcessEnv();
    return await import("simple-git");
  })();
  return simpleGitModule;
}

/** Replaces `process.env` by the granted pass-through variables (a plain object). */
export function confineProcessEnv(): void {
  Object.defineProperty(process, "env", {
    value: passthroughEnv(),
    writable: true,
    configurable: true,
    enumerable: true,
  });
}

/** A simple-git instance in `dir` with {@link gitEnv} and errors carrying git's exit code. */
export async function openGit(dir: string, options: RunOptions = {}): Promise<SimpleGit> {
  const { simpleGit, GitError: SimpleGitError } = await loadSimpleGit();
  const env = gitEnv(options.env, options.workspaceRoot);
  const git = simpleGit({
    baseDir: dir,
    trimmed: false,
    allowEnvironment: Object.keys(env),
    unsafe: { allowUnsafeSshCommand: true },
    ...(options.progress ? { progress: options.progress } : {}),
    errors(error, result) {
      if (!error && result.exitCode === 0) return undefined;
      const stderr = Buffer.concat(result.stdErr).toString("utf8");
      const detail = stderr || (error instanceof Error ? error.message : "");
      // simple-git rethrows its own GitError as is (anything else it wraps into a string)
      const spawnCode = (error as { code?: unknown } | undefined)?.code;
      const failure: Failed = {
        exitCode: result.exitCode,
        stderr: detail,
        ...(typeof spawnCode === "string" ? { spawnCode } : {}),
      };
      return Object.assign(new SimpleGitError(undefined, mainProblem(detail)), { failure });
    },
  });
  return git.env(env);
}

/** Runs `git args…` in `dir`; resolves to stdout, rejects with {@link GitCommandError}. */
export async function runGit(
  dir: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<string> {
  const git = await openGit(dir, options);
  try {
    return await git.raw([...args]);
  } catch (error) {
    const failure = (error as { failure?: Failed } | undefined)?.failure;
    if (failure && Number.isInteger(failure.exitCode)) {
      throw new GitCommandError(args, failure.exitCode, failure.stderr, { cause: error });
    }
    const text = failure?.stderr ?? String((error as Error)?.message ?? error);
    const failed = spawnFailure(args, text, error);
    if (
      failed instanceof GitCommandError && isNotFound(failure?.spawnCode, text) &&
      await isDirectory(dir)
    ) {
      // The directory is there, so the one thing spawn did not find is git itself.
      throw notInstalled(args, gitEnv(options.env, options.workspaceRoot).PATH, error);
    }
    throw failed;
  }
}

/**
 * git did not run: Deno refused (re-thrown as `NotCapable`, which the host reports as
 * `PERMISSION_DENIED`) or spawning failed (a {@link GitCommandError} with exit code -1).
 */
function spawnFailure(args: readonly string[], text: string, cause: unknown): Error {
  const first = text.split(/[\r\n]+/).map((l) => l.trim()).find((l) => l !== "") ?? "";
  const denied = /\b(NotCapable|PermissionDenied): (.*)$/.exec(first);
  if (denied) {
    return new Deno.errors.NotCapable(`cannot run git ${args[0] ?? ""}: ${denied[2]}`, { cause });
  }
  return new GitCommandError(args, -1, first, { cause });
}

/** Whether a spawn failure says the program was not found (`ENOENT`, Deno's `NotFound`). */
function isNotFound(code: string | undefined, text: string): boolean {
  return code === "ENOENT" || /\bENOENT\b|\bNotFound\b|entity not found/.test(text);
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await Deno.stat(dir)).isDirectory;
  } catch {
    return false;
  }
}

/** `GIT_NOT_INSTALLED`: git is not on `path`; says which command could not run. */
export function notInstalled(args: readonly string[], path: string, cause?: unknown): GitError {
  return new GitError(
    "GIT_NOT_INSTALLED",
    `git is not installed or not found on PATH (${path}): the git plugin cannot run ` +
      `"git ${args[0] ?? ""}"; install git (e.g. apt-get install git) and try again`,
    { cause },
  );
}

interface Failed {
  exitCode: number;
  stderr: string;
  /** The spawn error's code (e.g. `ENOENT`) when git did not start. */
  spawnCode?: string;
}

/** Like {@link runGit} but resolves to `undefined` when git exits non-zero. */
export async function tryGit(
  dir: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<string | undefined> {
  try {
    return await runGit(dir, args, options);
  } catch (error) {
    if (error instanceof GitCommandError && error.exitCode > 0) return undefined;
    throw error;
  }
}

/**
 * The most telling line of git's stderr: the first `fatal:`/`error:` line (later ones tend to
 * be generic, like "Could not read from remote repository"), else the last line.
 */
export function mainProblem(stderr: string): string {
  const lines = stderr.split(/[\r\n]+/).map((l) => l.trim()).filter((l) => l !== "");
  const problem = lines.find((l) => /^(fatal|error):/i.test(l)) ?? lines.at(-1) ?? "";
  return oneLine(problem) || "no message";
}

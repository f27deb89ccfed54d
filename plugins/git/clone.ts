/**
 * `git.clone`: clones a checked reference into a new or empty directory inside the workspace,
 * forwarding progress, never prompting, and on failure removing only what the clone created.
 *
 * Needs: `run` for `git`; `read` and `write` on the workspace (dest checks and cleanup); for
 * remote URLs git itself (a child process, outside Deno's sandbox) uses the network.
 *
 * @module
 */
import type { ActionContext } from "../../interfaces.ts";
import { GitError, isReadOnlyFs, oneLine, readOnlyError } from "./errors.ts";
import { GitCommandError, mainProblem, runGit, tryGit } from "./runner.ts";
import { parseRepoUrl } from "./url.ts";
import { futurePath, type GitSettings } from "./workspace.ts";

/** Input of `git.clone`. */
export interface CloneInput {
  /** Any reference {@link parseRepoUrl} accepts (relative paths excepted). */
  url: string;
  /** Absolute destination inside the workspace; must not exist or be an empty directory. */
  dest: string;
  /** Branch or tag to check out. */
  branch?: string;
  /** Shallow clone with this many commits. */
  depth?: number;
}

/** Result of `git.clone`. Plain JSON. */
export interface CloneResult {
  /** The normalized URL cloned. */
  url: string;
  /** Its transport. */
  kind: string;
  /** The repository's docker-safe base name. */
  name: string;
  /** The directory cloned into (symlinks resolved). */
  dest: string;
  /** The checked-out branch, or null (detached at a tag, or an empty repository). */
  branch: string | null;
  /** The checked-out commit, or null for an empty repository. */
  head: string | null;
  [key: string]: string | null;
}

// deno-lint-ignore no-control-regex
const BAD_REF_CHAR = /[\u0000-\u0020\u007f~^:?*[\\]/;

/** Checks a branch or tag name as `git check-ref-format --branch` would; throws otherwise. */
export function checkBranchName(name: string): void {
  const bad = typeof name !== "string" || name === "" || name.startsWith("-") ||
    name.startsWith("/") || name.endsWith("/") || name.endsWith(".") ||
    name.endsWith(".lock") || name.includes("..") || name.includes("@{") || name.includes("//") ||
    name === "@" || BAD_REF_CHAR.test(name) || /(^|\/)\./.test(name) ||
    name.length > 255;
  if (bad) throw new GitError("GIT_INPUT_INVALID", `invalid branch name ${JSON.stringify(name)}`);
}

/** Clones `input.url` into `input.dest`. See the module doc. */
export async function cloneRepo(
  settings: GitSettings,
  input: CloneInput,
  ctx: Pick<ActionContext, "progress">,
): Promise<CloneResult> {
  const parsed = parseRepoUrl(input.url);
  if (input.branch !== undefined) checkBranchName(input.branch);
  const depth = input.depth;
  if (depth !== undefined && (!Number.isInteger(depth) || depth < 1 || depth > 2 ** 31 - 1)) {
    throw new GitError("GIT_INPUT_INVALID", `depth must be a positive integer, got ${depth}`);
  }
  const { path: dest, missing } = await futurePath(settings, input.dest, "dest");
  const existed = missing.length === 0;
  if (existed) await checkEmptyDir(input.dest, dest);
  const args = [
    "clone",
    "--progress",
    "--no-recurse-submodules",
    ...(input.branch !== undefined ? ["--branch", input.branch] : []),
    ...(depth !== undefined ? ["--depth", String(depth)] : []),
    "--",
    parsed.url,
    dest,
  ];
  let last = "";
  const report = (message: string) => {
    if (message !== last) ctx.progress(last = message);
  };
  report(`cloning ${parsed.url} into ${dest}`);
  const cwd = existed ? dest : parentOf(missing[0]);
  try {
    await runGit(cwd, args, {
      workspaceRoot: settings.workspaceRoot,
      progress: (e) => report(`${e.stage} ${e.progress}% (${e.processed}/${e.total})`),
    });
  } catch (error) {
    await cleanUp(dest, existed, missing);
    if (isReadOnlyFs(error)) throw readOnlyError(`clone ${parsed.url} into ${dest}`, cwd, error);
    if (error instanceof GitCommandError) throw classifyCloneError(error, parsed.url, input.branch);
    throw error;
  }
  const head = (await tryGit(dest, ["rev-parse", "--verify", "-q", "HEAD"]))?.trim() || null;
  const branch = (await tryGit(dest, ["symbolic-ref", "--short", "-q", "HEAD"]))?.trim() || null;
  report(`cloned ${parsed.url} at ${head ?? "(empty repository)"}`);
  return {
    url: parsed.url,
    kind: parsed.kind,
    name: parsed.baseName,
    dest,
    branch: head ? branch : null,
    head,
  };
}

/** Maps a failed clone to a one-line {@link GitError} saying what went wrong. */
export function classifyCloneError(error: GitCommandError, url: string, branch?: string): GitError {
  const text = error.stderr;
  const lineFor = (pattern: RegExp) =>
    oneLine(text.split(/[\r\n]+/).find((l) => pattern.test(l)) ?? mainProblem(text));
  const options = { cause: error };
  const missingBranch = /Remote branch (.+?) not found in upstream/i.exec(text);
  if (missingBranch) {
    const name = branch ?? missingBranch[1];
    return new GitError("GIT_BRANCH_NOT_FOUND", `branch "${name}" not found in ${url}`, options);
  }
  if (AUTH.test(text)) {
    return new GitError(
      "GIT_AUTH_REQUIRED",
      `authentication required for ${url}: ${lineFor(AUTH)}`,
      options,
    );
  }
  if (NETWORK.test(text)) {
    return new GitError(
      "GIT_NETWORK",
      `network unreachable for ${url}: ${lineFor(NETWORK)}`,
      options,
    );
  }
  if (NOT_FOUND.test(text)) {
    return new GitError(
      "GIT_REPO_NOT_FOUND",
      `repository not found or bad URL ${url}: ${lineFor(NOT_FOUND)}`,
      options,
    );
  }
  return new GitError("GIT_FAILED", `git clone of ${url} failed: ${mainProblem(text)}`, options);
}

const AUTH = new RegExp(
  [
    "could not read (Username|Password)",
    "terminal prompts disabled",
    "Authentication failed",
    "HTTP Basic: Access denied",
    "Permission denied \\((publickey|password|keyboard-interactive)",
    "The requested URL returned error: 40[13]",
    "Host key verification failed",
  ].join("|"),
  "i",
);
const NETWORK = new RegExp(
  [
    "Could not resolve host",
    "Could not resolve hostname",
    "Failed to connect",
    "Connection refused",
    "Connection timed out",
    "Operation timed out",
    "Network is unreachable",
    "No route to host",
    "Connection reset",
    "Connection closed by remote host",
    "SSL certificate problem",
    "gnutls_handshake",
  ].join("|"),
  "i",
);
const NOT_FOUND = new RegExp(
  [
    "not found",
    "does not exist",
    "does not appear to be a git repository",
    "not a git repository",
    "Could not read from remote repository",
    "returned error: 404",
    "unable to find remote helper",
    "is not supported",
    "not allowed",
  ].join("|"),
  "i",
);

async function checkEmptyDir(given: string, dest: string): Promise<void> {
  const info = await Deno.stat(dest);
  if (!info.isDirectory) {
    throw new GitError(
      "GIT_DEST_NOT_EMPTY",
      `dest ${JSON.stringify(given)} exists and is not a directory`,
    );
  }
  for await (const _ of Deno.readDir(dest)) {
    throw new GitError(
      "GIT_DEST_NOT_EMPTY",
      `dest ${JSON.stringify(given)} exists and is not empty; clone into a new or empty directory`,
    );
  }
}

/** Removes what a failed clone created: dest's content (dest existed) or dest and new parents. */
async function cleanUp(dest: string, existed: boolean, missing: string[]): Promise<void> {
  const quiet = async (path: string, recursive: boolean) => {
    try {
      await Deno.remove(path, { recursive });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        if (recursive) throw error;
      }
    }
  };
  if (existed) {
    for await (const entry of Deno.readDir(dest)) await quiet(`${dest}/${entry.name}`, true);
    return;
  }
  await quiet(dest, true);
  for (const dir of [...missing].reverse()) await quiet(dir, false);
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}

/**
 * `git.status`: branch, head commit and change counts of a working tree, read with
 * `git status --porcelain=v2 -z` and without taking optional locks (the index is not rewritten).
 *
 * Needs: `run` for `git`; `read` on the workspace.
 *
 * @module
 */
import { GitError } from "./errors.ts";
import { GitCommandError, runGit } from "./runner.ts";
import { existingDir, type GitSettings, isInside } from "./workspace.ts";

/** Result of `git.status`. Plain JSON. */
export interface StatusResult {
  /** The repository's top-level directory. */
  root: string;
  /** Current branch, or null when HEAD is detached. */
  branch: string | null;
  /** HEAD's commit, or null before the first commit. */
  head: string | null;
  /** Whether HEAD is detached. */
  detached: boolean;
  /** No staged, modified, untracked or conflicted paths. */
  clean: boolean;
  /** Paths whose working-tree content differs from the index. */
  modified: number;
  /** Untracked paths (files, not directories; ignored files excluded). */
  untracked: number;
  /** Paths whose index content differs from HEAD. */
  staged: number;
  /** Paths with merge conflicts. */
  conflicted: number;
  /** Commits ahead of the upstream, or null without one. */
  ahead: number | null;
  /** Commits behind the upstream, or null without one. */
  behind: number | null;
  [key: string]: string | number | boolean | null;
}

/** Parses `git status --porcelain=v2 --branch -z` output. Pure. */
export function parseStatus(output: string, root: string): StatusResult {
  const result: StatusResult = {
    root,
    branch: null,
    head: null,
    detached: false,
    clean: true,
    modified: 0,
    untracked: 0,
    staged: 0,
    conflicted: 0,
    ahead: null,
    behind: null,
  };
  const records = output.split("\0");
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (record.startsWith("# branch.oid ")) {
      const oid = record.slice("# branch.oid ".length);
      result.head = oid === "(initial)" ? null : oid;
    } else if (record.startsWith("# branch.head ")) {
      const head = record.slice("# branch.head ".length);
      result.detached = head === "(detached)";
      result.branch = result.detached ? null : head;
    } else if (record.startsWith("# branch.ab ")) {
      const m = /^# branch\.ab \+(\d+) -(\d+)$/.exec(record);
      if (m) [result.ahead, result.behind] = [Number(m[1]), Number(m[2])];
    } else if (record.startsWith("1 ") || record.startsWith("2 ")) {
      const [x, y] = record.slice(2, 4);
      if (x !== ".") result.staged++;
      if (y !== ".") result.modified++;
      if (record.startsWith("2 ")) i++; // a rename's original path is the next record
    } else if (record.startsWith("u ")) {
      result.conflicted++;
    } else if (record.startsWith("? ")) {
      result.untracked++;
    }
  }
  result.clean = result.staged + result.modified + result.untracked + result.conflicted === 0;
  return result;
}

/** The status of the repository containing `dir`. Throws `GIT_NOT_A_REPO` outside one. */
export async function repoStatus(settings: GitSettings, dir: string): Promise<StatusResult> {
  const root = await repoRoot(settings, dir);
  const output = await runGit(root, [
    "status",
    "--porcelain=v2",
    "--branch",
    "-z",
    "--untracked-files=all",
    "--ignore-submodules=none",
  ], { workspaceRoot: settings.workspaceRoot });
  return parseStatus(output, root);
}

/**
 * The top-level directory of the (non-bare) repository containing `dir`, checked to lie inside
 * the workspace. Throws `GIT_NOT_A_REPO` or `GIT_OUTSIDE_WORKSPACE`.
 */
export async function repoRoot(settings: GitSettings, dir: string): Promise<string> {
  const real = await existingDir(settings, dir);
  let top: string;
  try {
    top = (await runGit(real, ["rev-parse", "--show-toplevel"], {
      workspaceRoot: settings.workspaceRoot,
    })).trim();
  } catch (error) {
    if (error instanceof GitCommandError && error.exitCode > 0) {
      const why = /bare repository|must be run in a work tree/i.test(error.stderr)
        ? "is a bare repository (no working tree)"
        : "is not inside a git working tree";
      throw new GitError("GIT_NOT_A_REPO", `dir ${JSON.stringify(dir)} ${why}`, { cause: error });
    }
    throw error;
  }
  if (!top) {
    throw new GitError(
      "GIT_NOT_A_REPO",
      `dir ${JSON.stringify(dir)} is not inside a git working tree`,
    );
  }
  if (!isInside(top, real)) {
    throw new GitError("GIT_NOT_A_REPO", `dir ${JSON.stringify(dir)}: unexpected top level ${top}`);
  }
  await existingDir(settings, top, "repository root");
  return top;
}

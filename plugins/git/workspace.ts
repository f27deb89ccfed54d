/**
 * The workspace root: the one directory tree the git plugin works in. Every directory an action
 * names must lie inside it, lexically and after resolving symlinks.
 *
 * Needs: `read` on the workspace root (to resolve symlinks and check directories).
 *
 * @module
 */
import { posix } from "node:path";
import type { JsonObject } from "../../interfaces.ts";
import { GitError } from "./errors.ts";

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The plugin's settings, from its manifest `config`. */
export interface GitSettings {
  /** Absolute, normalized workspace root. */
  readonly workspaceRoot: string;
}

/** Reads `{ workspaceRoot: "/abs" }` from the plugin config; throws `GIT_CONFIG_INVALID`. */
export function parseSettings(config: JsonObject): GitSettings {
  const root = config.workspaceRoot;
  if (typeof root !== "string" || !posix.isAbsolute(root) || CONTROL.test(root)) {
    throw new GitError(
      "GIT_CONFIG_INVALID",
      `git plugin config needs "workspaceRoot" as an absolute path, got ${JSON.stringify(root)}`,
    );
  }
  const unknown = Object.keys(config).filter((k) => k !== "workspaceRoot");
  if (unknown.length) {
    throw new GitError(
      "GIT_CONFIG_INVALID",
      `unknown git plugin config key(s): ${unknown.join(", ")}`,
    );
  }
  return { workspaceRoot: normalize(root) };
}

/** Whether `path` is `root` or below it (both absolute and normalized). */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root === "/" ? "/" : `${root}/`);
}

/** Checks `dir` is absolute and inside the workspace lexically; returns it normalized. */
export function lexicalInside(settings: GitSettings, dir: string, label: string): string {
  if (typeof dir !== "string" || !posix.isAbsolute(dir) || CONTROL.test(dir)) {
    throw new GitError(
      "GIT_INPUT_INVALID",
      `${label} must be an absolute path, got ${JSON.stringify(dir)}`,
    );
  }
  const path = normalize(dir);
  if (!isInside(settings.workspaceRoot, path)) throw outside(settings, label, dir);
  return path;
}

/** Checks `dir` is an existing directory inside the workspace, also after symlinks. */
export async function existingDir(
  settings: GitSettings,
  dir: string,
  label = "dir",
): Promise<string> {
  const path = lexicalInside(settings, dir, label);
  let real: string;
  try {
    real = await Deno.realPath(path);
    if (!(await Deno.stat(real)).isDirectory) throw new Deno.errors.NotADirectory(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      throw new GitError("GIT_INPUT_INVALID", `${label} ${JSON.stringify(dir)} is not a directory`);
    }
    throw error;
  }
  if (!isInside(await realRoot(settings), real)) throw outside(settings, label, dir);
  return real;
}

/**
 * Checks a path that may not exist yet: inside the workspace lexically, and its nearest existing
 * ancestor inside it after symlinks. Returns the path and the missing directories above it
 * (deepest last), which the caller may create and should remove on failure.
 */
export async function futurePath(
  settings: GitSettings,
  path: string,
  label: string,
): Promise<{ path: string; missing: string[] }> {
  const normal = lexicalInside(settings, path, label);
  const missing: string[] = [];
  let probe = normal;
  for (;;) {
    try {
      const real = await Deno.realPath(probe);
      if (!isInside(await realRoot(settings), real)) throw outside(settings, label, path);
      const under = (p: string) => posix.join(real, posix.relative(probe, p));
      return { path: under(normal), missing: missing.reverse().map(under) };
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      missing.push(probe);
      const parent = posix.dirname(probe);
      if (parent === probe) throw error;
      probe = parent;
    }
  }
}

async function realRoot(settings: GitSettings): Promise<string> {
  try {
    return await Deno.realPath(settings.workspaceRoot);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new GitError(
        "GIT_CONFIG_INVALID",
        `workspace root ${JSON.stringify(settings.workspaceRoot)} does not exist`,
      );
    }
    throw error;
  }
}

function outside(settings: GitSettings, label: string, dir: string): GitError {
  return new GitError(
    "GIT_OUTSIDE_WORKSPACE",
    `${label} ${JSON.stringify(dir)} is outside the workspace root ${
      JSON.stringify(settings.workspaceRoot)
    }; the git plugin only works inside it`,
  );
}

function normalize(path: string): string {
  const normal = posix.normalize(path);
  return normal.length > 1 ? normal.replace(/\/+$/, "") : normal;
}

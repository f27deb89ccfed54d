/**
 * Shared setup for the git plugin's tests: a temporary workspace with the plugin started in
 * process on it. Not part of the plugin.
 *
 * @module
 */
import type { JsonValue } from "../../interfaces.ts";
import { type InProcessPlugin, startInProcess } from "../_testing/in_process.ts";
import { makeTempDir } from "../../tests/_support/git_fixtures.ts";
import { GitError } from "./errors.ts";
import { Ops } from "./mod.ts";

/** A temporary workspace root with the git plugin started on it. */
export interface GitWorkspace {
  /** The workspace root (symlinks resolved). */
  root: string;
  /** The plugin, started in process with `{ workspaceRoot: root }`. */
  plugin: InProcessPlugin;
  /** Calls an action, expecting an object back. */
  call(name: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Calls an action expecting a {@link GitError}; returns it. */
  fails(name: string, input: Record<string, unknown>): Promise<GitError>;
  /** Disposes the plugin and removes the workspace. */
  close(): Promise<void>;
}

/** Makes a temporary workspace and starts the plugin on it. */
export async function gitWorkspace(): Promise<GitWorkspace> {
  const root = await makeTempDir("repocate-git-ws-");
  const plugin = await startInProcess(Ops, { workspaceRoot: root });
  return {
    root,
    plugin,
    async call(name, input) {
      return await plugin.call(name, input as unknown as JsonValue) as Record<string, unknown>;
    },
    async fails(name, input) {
      try {
        await plugin.call(name, input as unknown as JsonValue);
      } catch (error) {
        if (error instanceof GitError) return error;
        throw error;
      }
      throw new Error(`${name} did not fail`);
    },
    async close() {
      await plugin.dispose();
      await Deno.remove(root, { recursive: true });
    },
  };
}

/** Whether `path` exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

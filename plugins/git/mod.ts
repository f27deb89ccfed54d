/**
 * The builtin git plugin: parses repository URLs, clones, reports status, and snapshots and
 * rolls back working trees under `refs/repocate/snapshots/`, all through simple-git.
 *
 * Config: `{ "workspaceRoot": "/abs" }`; every directory an action names must lie inside it.
 * Permissions (see README.md for the evidence): `read` and `write` on the workspace root,
 * `run: ["git"]`, `env: ["NODE_V8_COVERAGE"]` (plus optional pass-through names), and nothing
 * else.
 *
 * @module
 */
import { posix } from "node:path";
import type { Operation } from "../../interfaces.ts";
import { PLUGIN_API_VERSION } from "../../interfaces.ts";
import { gitActions, SCHEMAS } from "./actions.ts";
import { GitError, isReadOnlyFs, readOnlyError } from "./errors.ts";
import { runGit } from "./runner.ts";
import { SNAPSHOT_REF_PREFIX } from "./snapshot.ts";
import { type GitSettings, parseSettings } from "./workspace.ts";

export { GitError, type GitErrorCode } from "./errors.ts";
export { nameFor, type ParsedRepoUrl, parseRepoUrl } from "./url.ts";

let settings: GitSettings | undefined;

function current(): GitSettings {
  if (!settings) throw new GitError("GIT_CONFIG_INVALID", "the git plugin is not initialized");
  return settings;
}

/** The git plugin's `Ops`. */
export const Ops: Operation = {
  name: "git",
  version: "0.1.0",
  apiVersion: PLUGIN_API_VERSION,

  async initialize(ctx) {
    settings = parseSettings(ctx.config);
    // The workspace root is the plugin's own folder: make it on first use.
    const root = settings.workspaceRoot;
    await Deno.stat(root).catch(async (error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      await Deno.mkdir(root, { recursive: true }).catch((error) => {
        if (isReadOnlyFs(error)) {
          throw readOnlyError(`make the workspace root ${root}`, posix.dirname(root), error);
        }
        throw error;
      });
    });
    const version = await runGit(root, ["--version"], { workspaceRoot: root }).catch((error) => {
      if (error instanceof Deno.errors.NotCapable || error instanceof GitError) throw error;
      throw new GitError("GIT_FAILED", `cannot run git: ${(error as Error).message}`, {
        cause: error,
      });
    });
    ctx.log.debug(`${version.trim()}; workspace root ${settings.workspaceRoot}`);
  },

  registerWithRegistry(registry) {
    const root = current().workspaceRoot;
    registry.registerItem({
      kind: "vcs",
      name: "git",
      metadata: {
        actions: Object.keys(SCHEMAS),
        snapshotRefPrefix: SNAPSHOT_REF_PREFIX,
        workspaceRoot: root,
      },
    });
    for (const action of gitActions(current)) registry.registerAction(action);
  },

  dispose() {
    settings = undefined;
  },
};

/**
 * The narrowest Deno permissions the git plugin works with in its Worker, found by running its
 * bundle in a Worker and taking each grant away (see README.md and worker_test.ts). Not imported
 * by the plugin itself: it is for manifests, hosts and tests.
 *
 * @module
 */

/** Env names the plugin may additionally be granted; each one granted is passed on to git. */
export { PASSTHROUGH_ENV as OPTIONAL_ENV } from "./runner.ts";

/**
 * The Worker permissions for a workspace root: read and write there only, run `git` only, the
 * one env name Deno's `node:child_process` reads on every spawn, plus any `extraEnv` names from
 * {@link OPTIONAL_ENV}; no net, sys, ffi or import.
 */
export function gitPluginPermissions(
  workspaceRoot: string,
  extraEnv: readonly string[] = [],
): Deno.PermissionOptionsObject {
  return {
    read: [workspaceRoot],
    write: [workspaceRoot],
    net: false,
    env: ["NODE_V8_COVERAGE", ...extraEnv],
    run: ["git"],
    sys: false,
    ffi: false,
    import: false,
  };
}

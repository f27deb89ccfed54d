/**
 * Helpers for tests that run against a real Docker engine (`bash .ci/docker.sh start` gives
 * one at unix:///run/repocate-ci/docker.sock; set DOCKER_HOST to it).
 *
 * Such tests fail when no engine answers; set `REPOCATE_SKIP_DOCKER=1` to skip them instead.
 *
 * @module
 */

/** True when `REPOCATE_SKIP_DOCKER=1`: docker tests are then ignored rather than failed. */
export const SKIP_DOCKER = Deno.env.get("REPOCATE_SKIP_DOCKER") === "1";

/** The busybox test image `.ci/docker.sh images` builds (no pull needed). */
export const BUSYBOX_IMAGE = "repocate-test/busybox:latest";

/** The Debian test image `.ci/docker.sh images` builds unless `REPOCATE_CI_DEBIAN=0`. */
export const DEBIAN_IMAGE = "repocate-test/debian:bookworm";

/** The label every docker test puts on what it creates, so leftovers can be found. */
export const TEST_LABEL = "dev.repocate.test";

/** A name unique to this run and call, e.g. `rct-web-m3x1k2-7`, valid for docker objects. */
export function uniqueName(prefix: string): string {
  counter++;
  return `rct-${prefix}-${RUN_ID}-${counter}`;
}
let counter = 0;
const RUN_ID = `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`;

/** Options for a `Deno.test` that needs the engine: ignored only under `REPOCATE_SKIP_DOCKER=1`. */
export const dockerTest = {
  ignore: SKIP_DOCKER,
} as const;

/** Makes a temporary directory, runs `fn` in it, and removes it afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-docker-test-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * `docker create` arguments for a container repocate would list as environment `name` of the
 * home whose workspaces folder is `workspaces` (its container name and labels), to make a
 * change "behind repocate's back".
 */
export function environmentContainerArgs(name: string, workspaces: string): string[] {
  return [
    "--name",
    `repocate-${name}`,
    "--label",
    "dev.repocate.managed=true",
    "--label",
    `dev.repocate.name=${name}`,
    "--label",
    `dev.repocate.workspace=${workspaces}/${name}`,
  ];
}

/**
 * Two fingerprints of an {@link EnvironmentPlan}, so rebuilds can tell "the image must be
 * rebuilt" from "only the container must be recreated":
 *
 * - {@link configHash}: what goes into the IMAGE: the image name, or the build (context path
 *   relative to the repository, Dockerfile path, args, target), the Dockerfile's text and every
 *   file of the build context (path, content, executable bit; folders and symbolic links too),
 *   `.dockerignore` and `.git/` skipped as build_context.ts says. Timestamps, owners and other
 *   permission bits are not part of it; nor is the repository's location.
 * - {@link runHash}: what goes only into the CONTAINER: environment, ports, mounts, runArgs,
 *   users, workspace folder, and the creation and start commands.
 *
 * Not the raw devcontainer.json text: its image-relevant values are hashed once normalized,
 * so editing forwardPorts changes runHash only. (When the devcontainer.json lies inside the
 * build context, e.g. `"context": ".."`, it is a context file and changes configHash too: a
 * Dockerfile could COPY it.) An image tag that moves upstream is not seen.
 *
 * Files are read one at a time, each whole (crypto.subtle cannot stream). Needs read
 * permission on the build context.
 *
 * @module
 */
import { isAbsolute, join, relative, SEPARATOR } from "@std/path";
import { contextEntries, ignorePatterns } from "./build_context.ts";
import type { EnvironmentPlan } from "./types.ts";

/** Lowercase hex SHA-256 of `data`. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** JSON with object keys sorted at every depth, `undefined` members dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    return Object.fromEntries(
      Object.keys(item).sort().map((key) => [key, (item as Record<string, unknown>)[key]]),
    );
  });
}

/** `path` relative to `repoDir` with `/` separators, or absolute when outside it. */
function repoRelative(repoDir: string, path: string): string {
  const rel = relative(repoDir, path);
  if (rel === "") return ".";
  if (rel === ".." || rel.startsWith(`..${SEPARATOR}`) || isAbsolute(rel)) return path;
  return rel.split(SEPARATOR).join("/");
}

/**
 * SHA-256 (64 hex digits) of everything that affects the image of `plan`. `repoDir` is the
 * repository the plan was resolved from; paths are hashed relative to it.
 */
export async function configHash(plan: EnvironmentPlan, repoDir: string): Promise<string> {
  const lines: unknown[] = [["repocate-config-hash", 1]];
  if (plan.image !== undefined) lines.push(["image", plan.image]);
  const build = plan.build;
  if (build) {
    lines.push(["build", {
      context: repoRelative(repoDir, build.context),
      dockerfile: build.dockerfile,
      args: build.args,
      target: build.target ?? null,
    }]);
    const dockerfile = await Deno.readFile(join(build.context, build.dockerfile));
    lines.push(["dockerfile", await sha256Hex(dockerfile)]);
    const patterns = await ignorePatterns(build.context, build.dockerfile);
    for (const entry of await contextEntries(build.context, patterns)) {
      if (entry.kind === "file") {
        const content = await Deno.readFile(join(build.context, entry.path));
        lines.push(["file", entry.path, entry.executable, await sha256Hex(content)]);
      } else if (entry.kind === "dir") lines.push(["dir", entry.path]);
      else lines.push(["symlink", entry.path, entry.target]);
    }
  }
  return sha256Hex(lines.map(canonicalJson).join("\n"));
}

/**
 * SHA-256 (64 hex digits) of what affects only the container of `plan`, not its image. Key
 * order of objects and the order of forwardPorts do not matter; other list orders do.
 */
export function runHash(plan: EnvironmentPlan): Promise<string> {
  return sha256Hex(canonicalJson({
    version: 1,
    containerEnv: plan.containerEnv,
    remoteEnv: plan.remoteEnv,
    forwardPorts: [...plan.forwardPorts].sort((a, b) => a - b),
    mounts: plan.mounts,
    runArgs: plan.runArgs,
    workspaceFolder: plan.workspaceFolder,
    remoteUser: plan.remoteUser,
    containerUser: plan.containerUser,
    onCreateCommand: plan.onCreateCommand,
    updateContentCommand: plan.updateContentCommand,
    postCreateCommand: plan.postCreateCommand,
    postStartCommand: plan.postStartCommand,
  }));
}

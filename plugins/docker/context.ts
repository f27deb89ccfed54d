/**
 * The build context: checking the Dockerfile is inside it, and listing the files to send.
 *
 * Needs read permission on the context directory.
 *
 * @module
 */
import { isAbsolute, posix } from "node:path";
import process from "node:process";
import { DockerPluginError } from "./errors.ts";

/**
 * Checks that `context` is an absolute directory and `dockerfile` a file inside it; returns the
 * Dockerfile's normalized path relative to the context (what the engine expects).
 */
export async function resolveDockerfile(context: string, dockerfile: string): Promise<string> {
  if (!isAbsolute(context)) {
    throw new DockerPluginError("invalid_input", `build context "${context}" is not absolute`);
  }
  await expectKind(context, "directory", "build context");
  const relative = posix.normalize(dockerfile.replaceAll("\\", "/"));
  if (isAbsolute(relative) || relative === ".." || relative.startsWith("../")) {
    throw new DockerPluginError(
      "invalid_input",
      `dockerfile "${dockerfile}" must be a path inside the build context ${context}`,
    );
  }
  await expectKind(posix.join(context, relative), "file", "dockerfile");
  return relative;
}

async function expectKind(path: string, kind: "file" | "directory", what: string) {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "does not exist"
      : `cannot be read (${error instanceof Error ? error.message : String(error)})`;
    throw new DockerPluginError("invalid_input", `${what} ${path} ${reason}`);
  }
  if (kind === "directory" ? !info.isDirectory : !info.isFile) {
    throw new DockerPluginError("invalid_input", `${what} ${path} is not a ${kind}`);
  }
}

/**
 * Every non-directory entry under `context` (files and symlinks, not followed), as sorted
 * relative `/`-separated paths. dockerode filters this list through the context's
 * `.dockerignore` before packing it.
 */
export async function contextFiles(context: string): Promise<string[]> {
  const files: string[] = [];
  const pending = [""];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for await (const entry of Deno.readDir(posix.join(context, dir))) {
      const relative = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory) pending.push(relative);
      else files.push(relative);
    }
  }
  return files.sort();
}

/**
 * Checks the plugin may read the process umask, which tar-fs reads when dockerode packs a
 * context: without `sys: ["umask"]` that read throws inside a callback and the build would
 * hang, so fail first with a message that names the permission.
 */
export function checkCanPack(): void {
  try {
    process.umask();
  } catch (error) {
    throw new DockerPluginError(
      "permission_denied",
      `building an image needs sys permission "umask" (tar-fs reads it to pack the context): ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
}

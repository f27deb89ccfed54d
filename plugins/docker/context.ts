/**
 * The build context: checking the Dockerfile is inside it, and listing the files to send.
 *
 * Needs read permission on the context directory.
 *
 * @module
 */
import { isAbsolute, join, normalize, relative } from "@std/path";
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
  const inContext = normalize(dockerfile.replaceAll("\\", "/"));
  if (isAbsolute(inContext) || inContext === ".." || inContext.startsWith("../")) {
    throw new DockerPluginError(
      "invalid_input",
      `dockerfile "${dockerfile}" must be a path inside the build context ${context}`,
    );
  }
  await expectKind(join(context, inContext), "file", "dockerfile");
  return inContext;
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
    for await (const entry of Deno.readDir(join(context, dir))) {
      const relative = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory) pending.push(relative);
      else files.push(relative);
    }
  }
  return files.sort();
}

/** The umask applied to packed files (what a shell's default umask gives). */
const PACK_UMASK = 0o022;

/**
 * Packs `src` (paths relative to `context`, filtered through the context's `.dockerignore` the
 * way dockerode does) into a gzipped tar stream for the engine. The umask is fixed rather than
 * read from the process, so the plugin needs no `sys` permission.
 */
export async function packContext(context: string, src: string[]): Promise<NodeJS.ReadableStream> {
  const [{ default: tar }, ignoreModule, { createGzip }] = await Promise.all([
    import("tar-fs"),
    import("@balena/dockerignore"),
    import("node:zlib"),
  ]);
  let entries = src;
  let ignore: ((name: string) => boolean) | undefined;
  try {
    const rules = await Deno.readTextFile(join(context, ".dockerignore"));
    // A CommonJS module whose export is the factory; typed as an ES default export.
    const dockerIgnore = ((ignoreModule as { default?: unknown }).default ?? ignoreModule) as (
      options: { ignorecase: boolean },
    ) => { add(rules: string): { createFilter(): (path: string) => boolean } };
    const filter = dockerIgnore({ ignorecase: false }).add(rules).createFilter();
    entries = src.filter(filter);
    ignore = (name: string) => !filter(relative(context, name));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return tar.pack(context, { entries, ignore, umask: PACK_UMASK }).pipe(createGzip());
}

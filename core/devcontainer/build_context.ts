/**
 * The files of a Docker build context, as `docker build` would send them: walked from the
 * context root, `.dockerignore` honoured (see dockerignore.ts), sorted by path. Needs read
 * permission on the context.
 *
 * Differences from Docker, on purpose: `.git/` at any depth is always skipped (so git
 * operations never look like a context change); symbolic links are listed with their target
 * and never followed, as Docker does.
 *
 * @module
 */
import { basename, dirname, join } from "@std/path";
import { hasExclusions, type IgnorePattern, isIgnored, parseDockerignore } from "./dockerignore.ts";

/** One entry of a build context; `path` is relative to the root with `/` separators. */
export type ContextEntry =
  | { kind: "file"; path: string; executable: boolean }
  | { kind: "dir"; path: string }
  | { kind: "symlink"; path: string; target: string };

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw error;
  }
}

/**
 * The ignore patterns for a build: `<Dockerfile>.dockerignore` beside the Dockerfile when it
 * exists (BuildKit's rule), else `.dockerignore` at the context root, else none.
 */
export async function ignorePatterns(
  context: string,
  dockerfile: string,
): Promise<IgnorePattern[]> {
  const dockerfilePath = join(context, dockerfile);
  const specific = join(dirname(dockerfilePath), `${basename(dockerfilePath)}.dockerignore`);
  const text = await readIfExists(specific) ?? await readIfExists(join(context, ".dockerignore"));
  return text === undefined ? [] : parseDockerignore(text);
}

/** Every entry under `root` that the patterns keep, sorted by path (code-unit order). */
export async function contextEntries(
  root: string,
  patterns: readonly IgnorePattern[],
): Promise<ContextEntry[]> {
  const entries: ContextEntry[] = [];
  const walkIgnored = hasExclusions(patterns);
  async function walk(dir: string, prefix: string): Promise<void> {
    for await (const item of Deno.readDir(dir)) {
      if (item.name === ".git") continue;
      const path = prefix + item.name;
      const full = join(dir, item.name);
      const ignored = isIgnored(path, patterns);
      if (item.isSymlink) {
        if (!ignored) entries.push({ kind: "symlink", path, target: await Deno.readLink(full) });
      } else if (item.isDirectory) {
        if (!ignored) entries.push({ kind: "dir", path });
        if (!ignored || walkIgnored) await walk(full, `${path}/`);
      } else if (item.isFile && !ignored) {
        const mode = (await Deno.lstat(full)).mode ?? 0;
        entries.push({ kind: "file", path, executable: (mode & 0o111) !== 0 });
      }
    }
  }
  await walk(root, "");
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

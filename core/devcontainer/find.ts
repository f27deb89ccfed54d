/**
 * Finds a repository's dev container definition the way devcontainers/cli does. Needs read
 * permission on the repository folder (`Deno.stat`, `Deno.readDir` only).
 *
 * @module
 */
import { join } from "@std/path";

/** Where a repository's environment is defined. */
export type ConfigLocation =
  /** A devcontainer.json (absolute path). */
  | { kind: "devcontainer"; file: string }
  /**
   * No devcontainer.json chosen but a root `Dockerfile` (absolute path). `ignored` lists the
   * `.devcontainer/<folder>/devcontainer.json` files passed over because there were several.
   */
  | { kind: "dockerfile"; file: string; ignored?: string[] }
  /** Nothing: the default image. `ignored` as for `dockerfile`. */
  | { kind: "default"; ignored?: string[] };

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw error;
  }
}

/** `.devcontainer/<folder>/devcontainer.json` files, one folder deep, sorted. */
async function nestedConfigs(devcontainerDir: string): Promise<string[]> {
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(devcontainerDir)) {
      if (!entry.isDirectory && !entry.isSymlink) continue;
      const file = join(devcontainerDir, entry.name, "devcontainer.json");
      if (await isFile(file)) found.push(file);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return [];
    }
    throw error;
  }
  return found.sort();
}

/**
 * Locates the definition in `repoDir` (absolute), first found wins:
 * `.devcontainer/devcontainer.json`, `.devcontainer.json`, `.devcontainer/<folder>/devcontainer.json`
 * when exactly one folder has one (with several, none is chosen: devcontainers/cli would make
 * the user pick), a root `Dockerfile`, else the default.
 */
export async function findConfig(repoDir: string): Promise<ConfigLocation> {
  for (const candidate of [[".devcontainer", "devcontainer.json"], [".devcontainer.json"]]) {
    const file = join(repoDir, ...candidate);
    if (await isFile(file)) return { kind: "devcontainer", file };
  }
  const nested = await nestedConfigs(join(repoDir, ".devcontainer"));
  if (nested.length === 1) return { kind: "devcontainer", file: nested[0] };
  const ignored = nested.length > 1 ? { ignored: nested } : {};
  const dockerfile = join(repoDir, "Dockerfile");
  if (await isFile(dockerfile)) return { kind: "dockerfile", file: dockerfile, ...ignored };
  return { kind: "default", ...ignored };
}

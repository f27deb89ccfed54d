/**
 * The subset of `@std/path` repocate uses, on `node:path` and `node:url`.
 *
 * JSR (where `@std/path` lives) is not reachable from these machines, so deno.json maps
 * `@std/path` to this file; the names match Deno std's so the mapping can point back at
 * `jsr:@std/path` unchanged.
 *
 * @module
 */
import { fileURLToPath, pathToFileURL } from "node:url";

export {
  basename,
  dirname,
  extname,
  isAbsolute,
  join,
  normalize,
  relative,
  resolve,
  SEPARATOR,
} from "./_path_node.ts";

/** Converts a `file:` URL to a path. */
export function fromFileUrl(url: string | URL): string {
  return fileURLToPath(url);
}

/** Converts an absolute path to a `file:` URL. */
export function toFileUrl(path: string): URL {
  return pathToFileURL(path);
}

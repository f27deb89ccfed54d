/**
 * The subset of `@std/path` repocate uses, for POSIX paths, in plain TypeScript.
 *
 * JSR (where `@std/path` lives) is not reachable from these machines, so deno.json maps
 * `@std/path` to this file; the names match Deno std's so the mapping can point back at
 * `jsr:@std/path` unchanged. It imports nothing: an earlier version built on `node:path` and
 * `node:url` booted Deno's Node compatibility layer in every process that touched a path.
 *
 * Results equal `node:path.posix` and `node:url`'s `fileURLToPath`/`pathToFileURL` (what this
 * file was built on before), which std/path_test.ts checks on thousands of generated paths.
 * Deno std's own POSIX versions agree except at a few edges no caller reaches: std's
 * `dirname("/a//b")` is `/a` (here `/a/`), its `basename("/")` is `/` (here empty), its
 * `toFileUrl` refuses relative paths (here resolved against the working directory) and its
 * `fromFileUrl` accepts a host and encoded `/` (here refused).
 *
 * @module
 */

/** The path separator: `/`. */
export const SEPARATOR = "/";

function assertPath(path: unknown): asserts path is string {
  if (typeof path !== "string") {
    throw new TypeError(`Path must be a string, received "${JSON.stringify(path)}"`);
  }
}

/**
 * `path`'s segments with `.`, empty ones and resolvable `..` removed. A `..` above the start
 * is kept when `aboveRoot` (relative paths) and dropped otherwise (absolute ones).
 */
function normalSegments(path: string, aboveRoot: boolean): string[] {
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") out.push(segment);
    else if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (aboveRoot) out.push("..");
  }
  return out;
}

/** Whether `path` starts at the root (`/`). */
export function isAbsolute(path: string): boolean {
  assertPath(path);
  return path.startsWith("/");
}

/**
 * Resolves `.` and `..` segments and repeated slashes; keeps a trailing slash. The empty path
 * is `.`.
 */
export function normalize(path: string): string {
  assertPath(path);
  if (path === "") return ".";
  const absolute = path.startsWith("/");
  const body = normalSegments(path, !absolute).join("/");
  if (body === "") return absolute ? "/" : path.endsWith("/") ? "./" : ".";
  return (absolute ? "/" : "") + body + (path.endsWith("/") ? "/" : "");
}

/** Joins the non-empty `paths` with `/` and normalizes the result; `.` when there are none. */
export function join(...paths: string[]): string {
  paths.forEach(assertPath);
  const joined = paths.filter((path) => path !== "").join("/");
  return joined === "" ? "." : normalize(joined);
}

/**
 * Resolves `paths` from right to left to an absolute, normalized path without a trailing
 * slash; relative ones start at the working directory (`Deno.cwd()`).
 */
export function resolve(...paths: string[]): string {
  let joined = "";
  for (let i = paths.length - 1; i >= -1; i--) {
    const path = i >= 0 ? paths[i] : Deno.cwd();
    assertPath(path);
    if (path === "") continue;
    joined = `${path}/${joined}`;
    if (path.startsWith("/")) break;
  }
  if (!joined.startsWith("/")) return normalSegments(joined, true).join("/") || ".";
  return `/${normalSegments(joined, false).join("/")}`;
}

/** The path from `from` to `to` (both resolved first); empty when they are the same. */
export function relative(from: string, to: string): string {
  assertPath(from);
  assertPath(to);
  const source = normalSegments(resolve(from), false);
  const target = normalSegments(resolve(to), false);
  let common = 0;
  while (
    common < source.length && common < target.length && source[common] === target[common]
  ) common++;
  return [...source.slice(common).map(() => ".."), ...target.slice(common)].join("/");
}

/**
 * The directory part of `path`: everything before its last segment (trailing slashes
 * ignored), without the one slash that precedes that segment. `.` when there is none.
 */
export function dirname(path: string): string {
  assertPath(path);
  if (path === "") return ".";
  const rooted = path.startsWith("/");
  let end = -1;
  let inSegment = false;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] !== "/") inSegment = true;
    else if (inSegment) {
      end = i;
      break;
    }
  }
  if (end === -1) return rooted ? "/" : ".";
  if (rooted && end === 1) return "//";
  return path.slice(0, end);
}

/**
 * The last segment of `path` (trailing slashes ignored; empty for `/`), without `suffix` when
 * it ends with it and is longer.
 */
export function basename(path: string, suffix = ""): string {
  assertPath(path);
  assertPath(suffix);
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  const name = path.slice(path.lastIndexOf("/", end - 1) + 1, end);
  if (suffix === "" || suffix.length > path.length) return name;
  if (path === suffix) return "";
  // node:path's quirk, kept: with a suffix, a path of slashes only is its own basename.
  if (end === 0) return path;
  return name !== suffix && name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
}

/**
 * The extension of `path`'s last segment: from its last `.` to its end. Empty when the
 * segment has no `.` but a leading one, or is `..`.
 */
export function extname(path: string): string {
  assertPath(path);
  const name = basename(path);
  const dot = name.lastIndexOf(".");
  return dot <= 0 || name === ".." ? "" : name.slice(dot);
}

/** ASCII bytes a file URL's path keeps as they are; every other byte is percent-encoded. */
const URL_SAFE = /^[A-Za-z0-9!$&'()*+,\-./:;=@_]$/;
const HEX = "0123456789ABCDEF";

/**
 * The `file:` URL of `path`, resolved against the working directory when relative (a trailing
 * slash is kept). Every byte of its UTF-8 but letters, digits and `!$&'()*+,-./:;=@_` is
 * percent-encoded, `%`, `#`, `?` and spaces included.
 */
export function toFileUrl(path: string): URL {
  assertPath(path);
  let resolved = resolve(path);
  if (path.endsWith("/") && !resolved.endsWith("/")) resolved += "/";
  let encoded = "";
  for (const char of resolved) {
    if (URL_SAFE.test(char)) {
      encoded += char;
      continue;
    }
    for (const byte of new TextEncoder().encode(char)) {
      encoded += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
    }
  }
  return new URL(`file://${encoded}`);
}

/**
 * The path of a `file:` URL, percent-decoded. Throws `TypeError` for another scheme, a host
 * other than `localhost` or an encoded `/`, and `URIError` for malformed percent-encoding.
 */
export function fromFileUrl(url: string | URL): string {
  const parsed = typeof url === "string" ? new URL(url) : url;
  if (!(parsed instanceof URL)) {
    throw new TypeError(`URL must be a string or URL, received "${JSON.stringify(url)}"`);
  }
  if (parsed.protocol !== "file:") {
    throw new TypeError(`URL must be a file URL: received "${parsed.protocol}"`);
  }
  // The URL parser already turns `file://localhost/` into an empty host.
  if (parsed.hostname !== "") {
    throw new TypeError(`File URL host must be "localhost" or empty: received "${parsed.host}"`);
  }
  if (/%2f/i.test(parsed.pathname)) {
    throw new TypeError(`File URL path must not include encoded / characters: ${parsed.href}`);
  }
  return decodeURIComponent(parsed.pathname);
}

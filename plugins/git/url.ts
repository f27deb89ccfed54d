/**
 * Parsing of repository references: every form `git clone` should accept from a user, checked
 * and normalized, with a docker-safe name derived from it. Pure: no I/O, no permissions.
 *
 * Accepted: `https://host/owner/repo(.git)`, `http://…`, `ssh://[user@]host[:port]/path`
 * (`git+ssh://` too), scp-style `[user@]host:path`, `file:///abs/path`, `/abs/path`, and
 * `./rel` or `../rel` resolved against a `cwd`. Everything else is refused with a one-line
 * {@link GitError} (`GIT_URL_INVALID`) that quotes the input.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import { GitError } from "./errors.ts";

/** The transport a reference uses. */
export type RepoUrlKind = "https" | "http" | "ssh" | "scp" | "file";

/** A checked, normalized repository reference. Plain JSON. */
export interface ParsedRepoUrl {
  /** The transport. */
  kind: RepoUrlKind;
  /** The URL to hand to `git clone` (`file://` for local paths, no trailing slash). */
  url: string;
  /** Lowercased host name for remote kinds (IPv6 in brackets); absent for `file`. */
  host?: string;
  /** The path the server sees (remote kinds) or the absolute local path (`file`). */
  path: string;
  /** The repository's name: last path segment without `.git`, lowercased, docker-safe. */
  baseName: string;
  /** {@link baseName}, or with a hash suffix when the options' `taken` set already has it. */
  suggestedName: string;
}

/** Options of {@link parseRepoUrl}. */
export interface ParseOptions {
  /** Absolute directory that `./` and `../` paths are resolved against. */
  cwd?: string;
  /** Names already used by other repositories; {@link ParsedRepoUrl.suggestedName} avoids them. */
  taken?: ReadonlySet<string>;
}

/** Longest reference accepted. */
export const MAX_URL_LENGTH = 2048;
/** Longest derived name (before a de-duplication suffix). */
export const MAX_NAME_LENGTH = 48;

const CONTROL =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/;
const HOST = /^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;
const USER = /^[a-z0-9._~][a-z0-9._~-]*$/i;
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const TRANSPORT = /^([a-z][a-z0-9+.-]*)::/i;
const NAME = /^[a-z0-9][a-z0-9_.-]*$/;

/** Parses and checks a repository reference. Throws `GIT_URL_INVALID` naming the input. */
export function parseRepoUrl(input: string, options: ParseOptions = {}): ParsedRepoUrl {
  const fail = (reason: string): never => {
    throw new GitError(
      "GIT_URL_INVALID",
      `invalid repository reference ${quote(input)}: ${reason}`,
    );
  };
  if (typeof input !== "string") return fail("not a string");
  if (input === "") return fail("empty");
  if (input.trim() === "") return fail("only whitespace");
  if (input !== input.trim()) return fail("leading or trailing whitespace");
  if (CONTROL.test(input)) return fail("contains a control or invisible character");
  if (!input.isWellFormed()) return fail("contains an unpaired UTF-16 surrogate");
  if (input.length > MAX_URL_LENGTH) return fail(`longer than ${MAX_URL_LENGTH} characters`);
  if (input.startsWith("-")) return fail("starts with '-' and would be read as a git option");
  const transport = TRANSPORT.exec(input);
  if (transport) {
    return fail(`"${transport[1].toLowerCase()}::" remote-helper transports are not allowed`);
  }
  const base = parseKind(input, options, fail);
  const baseName = deriveName(base.kind, base.path, fail);
  const parsed = { ...base, baseName, suggestedName: baseName };
  parsed.suggestedName = pickName(baseName, parsed.url, options.taken ?? new Set());
  return parsed;
}

/**
 * A name for the repository at `url` that is not in `taken`: its base name when free, else the
 * base name plus `-` and the first 6 hex digits of sha256 of the normalized URL (longer if that
 * is taken too). Stable: the same URL always gets the same suffix.
 */
export function nameFor(
  url: string,
  taken: ReadonlySet<string>,
  options: ParseOptions = {},
): string {
  const parsed = parseRepoUrl(url, { cwd: options.cwd });
  return pickName(parsed.baseName, parsed.url, taken);
}

/** The first `length` hex digits of sha256 of `text`. */
export function shortHash(text: string, length = 6): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Whether `name` is docker-safe as this module derives names (`[a-z0-9][a-z0-9_.-]*`). */
export function isSafeName(name: string): boolean {
  return NAME.test(name) && name.length <= MAX_NAME_LENGTH + 20;
}

function pickName(base: string, url: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (const length of [6, 12]) {
    const candidate = `${base}-${shortHash(url, length)}`;
    if (!taken.has(candidate)) return candidate;
  }
  const long = `${base}-${shortHash(url, 12)}`;
  for (let n = 2;; n++) if (!taken.has(`${long}-${n}`)) return `${long}-${n}`;
}

type Fail = (reason: string) => never;
type Base = Omit<ParsedRepoUrl, "baseName" | "suggestedName">;

function parseKind(input: string, options: ParseOptions, fail: Fail): Base {
  const scheme = SCHEME.exec(input);
  if (scheme) {
    const name = scheme[1].toLowerCase();
    const rest = input.slice(scheme[0].length);
    if (name !== "file" && /\s/.test(rest)) return fail("contains whitespace");
    if (name === "https" || name === "http") return parseHttp(name, input, rest, fail);
    if (name === "ssh" || name === "git+ssh" || name === "ssh+git") return parseSsh(rest, fail);
    if (name === "file") return parseFileUrl(rest, fail);
    return fail(`unsupported scheme "${name}://"; use https://, ssh://, user@host:path or a path`);
  }
  if (input.startsWith("/")) return local(input, fail);
  if (input === "." || input === ".." || input.startsWith("./") || input.startsWith("../")) {
    const cwd = options.cwd;
    if (cwd === undefined) return fail("a relative path needs a cwd to resolve against");
    if (!cwd.startsWith("/") || CONTROL.test(cwd) || !cwd.isWellFormed()) {
      return fail(`cwd ${quote(cwd)} is not absolute`);
    }
    return local(`${cwd}/${input}`, fail);
  }
  if (input.startsWith("~")) {
    return fail("home-relative paths are not supported; give an absolute path");
  }
  const bracket = /^(?:[^@/]*@)?\[/.test(input) ? input.indexOf("]:") : -1;
  const colon = bracket > 0 ? bracket + 1 : input.indexOf(":");
  const slash = input.indexOf("/");
  if (colon > 0 && (slash === -1 || colon < slash)) {
    if (/\s/.test(input)) return fail("contains whitespace");
    return parseScp(input, colon, fail);
  }
  return fail("not a URL or path; write https://host/owner/repo, user@host:path, /abs or ./rel");
}

function parseHttp(kind: "https" | "http", input: string, rest: string, fail: Fail): Base {
  if (rest.includes("\\")) return fail("contains a backslash");
  if (/[?#]/.test(rest)) return fail("a query or fragment is not allowed");
  const slash = rest.indexOf("/");
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const rawPath = slash === -1 ? "" : rest.slice(slash);
  if ((authority.match(/@/g) ?? []).length > 1) return fail("more than one '@' before the host");
  checkRemotePath(rawPath, fail);
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return fail("not a valid URL");
  }
  if (url.password) return fail("a password in the URL is not allowed; use a credential helper");
  const host = checkHost(url.hostname, fail);
  const user = url.username;
  if (user && !USER.test(decode(user, fail))) return fail(`bad user name ${quote(user)}`);
  const path = trimSlashes(url.pathname);
  if (path === "" || path === "/") return fail("no repository path after the host");
  const port = url.port ? `:${url.port}` : "";
  return {
    kind,
    url: `${kind}://${user ? `${user}@` : ""}${host}${port}${path}`,
    host,
    path,
  };
}

function parseSsh(rest: string, fail: Fail): Base {
  if (rest.includes("\\")) return fail("contains a backslash");
  if (/[?#]/.test(rest)) return fail("a query or fragment is not allowed");
  const slash = rest.indexOf("/");
  if (slash === -1) return fail("no repository path after the host");
  const authority = rest.slice(0, slash);
  const path = trimSlashes(rest.slice(slash));
  const at = authority.lastIndexOf("@");
  const user = at === -1 ? "" : authority.slice(0, at);
  if (at !== -1 && !USER.test(user)) return fail(`bad user name ${quote(user)}`);
  const hostPort = authority.slice(at + 1);
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!m) return fail(`bad host ${quote(hostPort)}`);
  const host = checkHost(m[1], fail);
  let port = "";
  if (m[2] !== undefined) {
    const n = Number(m[2]);
    if (!/^\d{1,5}$/.test(m[2]) || n < 1 || n > 65535) return fail(`bad port ${quote(m[2])}`);
    port = `:${n}`;
  }
  if (path === "/") return fail("no repository path after the host");
  checkRemotePath(path, fail);
  return { kind: "ssh", url: `ssh://${user ? `${user}@` : ""}${host}${port}${path}`, host, path };
}

function parseScp(input: string, colon: number, fail: Fail): Base {
  if (input.includes("\\")) return fail("contains a backslash");
  const authority = input.slice(0, colon);
  const path = trimSlashes(input.slice(colon + 1));
  const at = authority.lastIndexOf("@");
  const user = at === -1 ? "" : authority.slice(0, at);
  if (at !== -1 && !USER.test(user)) return fail(`bad user name ${quote(user)}`);
  const rawHost = authority.slice(at + 1);
  if (at === -1 && /^(https?|ssh|file|git)$/i.test(rawHost)) {
    return fail(`missing "//" after "${rawHost}:"`);
  }
  const host = checkHost(rawHost, fail);
  if (path === "" || path === "/") return fail("no repository path after the host");
  if (path.startsWith("-")) return fail("path starts with '-'");
  checkRemotePath(path, fail);
  return { kind: "scp", url: `${user ? `${user}@` : ""}${host}:${path}`, host, path };
}

function parseFileUrl(rest: string, fail: Fail): Base {
  if (/[?#]/.test(rest)) return fail("a query or fragment is not allowed in a file URL");
  const slash = rest.indexOf("/");
  const host = slash === -1 ? rest : rest.slice(0, slash);
  if (host !== "" && host.toLowerCase() !== "localhost") {
    return fail(`file URLs with a host ("${host}") are not supported`);
  }
  if (slash === -1) return fail("no path in file URL");
  const path = decode(rest.slice(slash), fail);
  if (CONTROL.test(path)) return fail("path contains a control character");
  return local(path, fail);
}

function local(rawPath: string, fail: Fail): Base {
  if (rawPath.includes("\\")) return fail("contains a backslash");
  const path = trimSlashes(posix.normalize(rawPath));
  if (path === "/") return fail("the root directory is not a repository path");
  return { kind: "file", url: `file://${encodePath(path)}`, path };
}

function checkHost(raw: string, fail: Fail): string {
  const host = raw.toLowerCase();
  if (host === "") return fail("no host");
  if (host.startsWith("-")) return fail(`host ${quote(raw)} starts with '-'`);
  if (!HOST.test(host) && !IPV6.test(host)) return fail(`bad host ${quote(raw)}`);
  return host;
}

function checkRemotePath(path: string, fail: Fail): void {
  for (const segment of path.split("/")) {
    const decoded = decode(segment, fail);
    if (decoded === "." || decoded === "..") return fail("path traversal ('..' or '.' segment)");
    if (/[/\\]/.test(decoded)) return fail("encoded path separator in path");
    if (CONTROL.test(decoded)) return fail("encoded control character in path");
  }
}

function deriveName(kind: RepoUrlKind, path: string, fail: Fail): string {
  const segments = path.split("/").filter((s) => s !== "");
  const last = segments.at(-1) ?? "";
  const decoded = kind === "https" || kind === "http" ? decode(last, fail) : last;
  if (decoded === "." || decoded === "..") return fail("path traversal in the derived name");
  const name = decoded.replace(/\.git$/i, "").toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-").replace(/-{2,}/g, "-")
    .replace(/^[^a-z0-9]+/, "").slice(0, MAX_NAME_LENGTH).replace(/[-_.]+$/, "");
  if (!NAME.test(name)) return fail("cannot derive a repository name from its path");
  return name;
}

function decode(text: string, fail: Fail): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fail("malformed percent-encoding");
  }
}

function trimSlashes(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" && path.startsWith("/") ? "/" : trimmed;
}

function encodePath(path: string): string {
  return encodeURI(path).replace(/[?#]/g, (c) => c === "?" ? "%3F" : "%23");
}

function quote(text: string): string {
  const short = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  const global = new RegExp(CONTROL.source, "g");
  return JSON.stringify(short).replace(
    global,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

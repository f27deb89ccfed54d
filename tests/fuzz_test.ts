/**
 * Fuzz tests of repocate's input parsers (issue 5, "Bad input"): for a fixed seed and count,
 * random and mutated inputs (characters deleted, inserted and flipped; JSON values swapped for
 * other types; deep nesting; huge strings; unicode; prototype keys such as `__proto__`) go to
 * `parseManifest`, `parseLock`, `resolveSource`, `parseRepoUrl`, `planFromConfig`
 * (devcontainer.json) and `Registry.invoke`'s input validation.
 *
 * The properties, checked for every input:
 * - no crash: a thrown value is the module's own documented error type, nothing else
 *   (no RangeError from a stack overflow, no TypeError from a library);
 * - its message is one line (no `\n` or `\r`) and at most {@link MAX_MESSAGE} characters;
 * - the same input gives the same outcome twice (value or message), and every valid seed parses.
 *
 * A failure lists each broken property with the smallest input that broke it. No timing is
 * asserted. Set `FUZZ_SEED`/`FUZZ_COUNT` to explore further by hand.
 *
 * @module
 */
import { assert, assertEquals } from "@std/assert";
import { RepocateError } from "../errors.ts";
import { parseManifest } from "../manifest/parse.ts";
import { parseLock } from "../manifest/lock.ts";
import { resolveSource } from "../manifest/source.ts";
import { planFromConfig } from "../core/devcontainer/mod.ts";
import { parseRepoUrl } from "../plugins/git/url.ts";
import { GitError } from "../plugins/git/errors.ts";
import { Registry } from "../registry/mod.ts";
import type { JsonSchema, JsonValue } from "../interfaces.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 0x5eed_2026);
const COUNT = Number(Deno.env.get("FUZZ_COUNT") ?? 2000);
/** The longest message an error may carry. */
const MAX_MESSAGE = 2000;

// ---------------------------------------------------------------------------------------------
// Random inputs

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rand {
  #next: () => number;
  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }
  float(): number {
    return this.#next();
  }
  int(n: number): number {
    return Math.floor(this.#next() * n);
  }
  chance(p: number): boolean {
    return this.#next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

const CHARS = [
  ..."abcxyzABCZ0129",
  ..." \t\n\r",
  ..."{}[]\":,\\/.-_@~%$#?&=+*!;'<>|`^",
  "\u0000",
  "\u0007",
  "\u001f",
  "\u007f",
  "\u0085",
  "\u00e9",
  "\u00df",
  "\u0130",
  "\u0301",
  "\u200b",
  "\u200f",
  "\u202e",
  "\u2028",
  "\u2029",
  "\ufeff",
  "\ufffd",
  "\ud800",
  "\udfff",
  "\u{1f600}",
  "\u{10ffff}",
  "\u4e2d",
  "\u0644",
];

const TOKENS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "${HOME}",
  "${REPOCATE_HOME}",
  "${NOPE}",
  "${",
  "${localEnv:HOME}",
  "${localEnv:X:d:e}",
  "${containerWorkspaceFolder}",
  "${devcontainerId}",
  "..",
  "../",
  "./",
  "%2F",
  "%00",
  "%",
  "%zz",
  "file://",
  "file:///",
  "https://",
  "http://127.0.0.1:1/",
  "http://[::1]/",
  "ssh://",
  "git@",
  "ext::",
  "host:",
  "~",
  "-",
  "--",
  "-v",
  "--mount",
  "type=bind",
  "source=",
  "target=/",
  "sha256-",
  "0".repeat(64),
  "null",
  "true",
  "1e999",
  "-0",
];

function randString(r: Rand, max = 24): string {
  let out = "";
  const n = r.int(max + 1);
  for (let i = 0; i < n; i++) out += r.chance(0.15) ? r.pick(TOKENS) : r.pick(CHARS);
  return out;
}

function hugeString(r: Rand): string {
  const unit = r.chance(0.5) ? "a" : randString(r, 8) || "x";
  return unit.repeat(Math.ceil((20_000 + r.int(80_000)) / unit.length));
}

/** Nested arrays or objects `depth` deep, around `inner`, as JSON text. */
function deepText(r: Rand, depth: number, inner = "1"): string {
  if (r.chance(0.5)) return "[".repeat(depth) + inner + "]".repeat(depth);
  return '{"a":'.repeat(depth) + inner + "}".repeat(depth);
}

/** Sets `key` as an own, enumerable property (so `__proto__` survives JSON.stringify). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function randJson(r: Rand, depth = 0): unknown {
  const kind = depth > 4 ? r.int(4) : r.int(7);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1.5, 2 ** 53, -(2 ** 31), 65536, 1e308, r.int(70_000)]);
    case 3:
      return r.chance(0.02) ? hugeString(r) : randString(r);
    case 4:
      return Array.from({ length: r.int(4) }, () => randJson(r, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = r.int(4); i > 0; i--) setOwn(out, randString(r, 8), randJson(r, depth + 1));
      return out;
    }
  }
}

/** Character-level mutations: delete, insert, flip, duplicate, truncate. */
function mutateText(r: Rand, text: string): string {
  let out = text;
  for (let n = 1 + r.int(4); n > 0; n--) {
    const at = r.int(out.length + 1);
    switch (r.int(6)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1 + r.int(8));
        break;
      case 1:
        out = out.slice(0, at) + randString(r, 6) + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + r.pick(CHARS) + out.slice(at + 1);
        break;
      case 3:
        out = out.slice(0, at) + out.slice(r.int(out.length + 1), at) + out.slice(at);
        break;
      case 4:
        out = out.slice(0, at);
        break;
      default:
        out = out.slice(0, at) + r.pick(TOKENS) + out.slice(at);
    }
  }
  return out;
}

/** Value-level mutations of parsed JSON: one node replaced, a key added or removed. */
function mutateJson(r: Rand, value: unknown, depth = 0): unknown {
  const isObject = value !== null && typeof value === "object";
  if (!isObject || depth > 6 || r.chance(0.25)) {
    switch (r.int(6)) {
      case 0:
        return randJson(r);
      case 1:
        return JSON.parse(deepText(r, 50 + r.int(r.chance(0.3) ? 20_000 : 500)));
      case 2:
        return hugeString(r);
      case 3:
        return randString(r, 40);
      case 4:
        if (r.chance(0.3)) return Array.from({ length: 500 + r.int(3000) }, () => randJson(r, 4));
        return Array.isArray(value) ? Object.fromEntries(value.map((v, i) => [i, v])) : [value];
      default:
        return typeof value === "string" ? mutateText(r, value) : randJson(r);
    }
  }
  if (Array.isArray(value)) {
    const copy = [...value];
    if (copy.length && r.chance(0.8)) {
      const i = r.int(copy.length);
      copy[i] = mutateJson(r, copy[i], depth + 1);
    } else copy.push(randJson(r));
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) setOwn(copy, k, v);
  const keys = Object.keys(copy);
  const roll = r.int(10);
  if (roll < 6 && keys.length) {
    const k = r.pick(keys);
    setOwn(copy, k, mutateJson(r, copy[k], depth + 1));
  } else if (roll < 8) {
    setOwn(copy, r.chance(0.5) ? r.pick(TOKENS.slice(0, 5)) : randString(r, 8), randJson(r));
  } else if (keys.length) delete copy[r.pick(keys)];
  return copy;
}

/** A value picked to hurt: deep nesting, a huge or multi-line string, a prototype key, width. */
function hostile(r: Rand): unknown {
  switch (r.int(7)) {
    case 0:
      return JSON.parse(deepText(r, 3_000 + r.int(30_000), r.chance(0.5) ? '"x"' : "1"));
    case 1:
      return hugeString(r);
    case 2:
      return `${randString(r, 6)}\n${randString(r, 6)}\r${r.pick(TOKENS)}`;
    case 3:
      return JSON.parse(`{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}`);
    case 4:
      return Array.from({ length: 1_000 + r.int(3_000) }, () => randString(r, 12));
    case 5:
      return Object.fromEntries(
        Array.from({ length: 500 + r.int(1_000) }, (_, i) => [`${randString(r, 4)}\n${i}`, i]),
      );
    default:
      return randString(r, 30);
  }
}

/** Replaces the value at one of `paths` (keys and indexes; missing parents are made). */
function hostileAt(r: Rand, value: unknown, paths: Paths): unknown {
  const root = structuredClone(value) as Record<string | number, unknown>;
  const path = r.pick(paths);
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== "object") node[key] = {};
    node = node[key] as Record<string | number, unknown>;
  }
  setOwn(node as Record<string, unknown>, String(path.at(-1)), hostile(r));
  return root;
}

type Paths = readonly (readonly (string | number)[])[];

/**
 * A fuzz input for a text parser: a valid seed, mutated as text or as JSON, a hostile value put
 * at one of `paths` (the fields the parser reads), or random text.
 */
function textInput(r: Rand, seeds: readonly string[], paths: Paths = []): string {
  const seed = r.pick(seeds);
  if (paths.length && r.chance(0.15)) {
    try {
      return JSON.stringify(hostileAt(r, JSON.parse(seed), paths));
    } catch { /* a JSONC seed: fall through */ }
  }
  const roll = r.int(10);
  if (roll < 4) return mutateText(r, seed);
  if (roll < 8) {
    try {
      return JSON.stringify(mutateJson(r, JSON.parse(seed))) ?? "null";
    } catch {
      return mutateText(r, seed);
    }
  }
  if (roll < 9) return JSON.stringify(randJson(r)) ?? "null";
  return r.chance(0.1) ? deepText(r, 5_000 + r.int(30_000)) : randString(r, 200);
}

// ---------------------------------------------------------------------------------------------
// Properties

type ErrorClass = abstract new (...args: never[]) => Error;

/** What one call did: its value or error, and that as text for comparing two calls. */
type Outcome<T> = { ok: true; value: T; text: string } | {
  ok: false;
  error: unknown;
  text: string;
};

interface Violation {
  problem: string;
  input: string;
  detail: string;
}

/** Runs `fn` on inputs and collects broken properties; fails with the smallest input of each. */
class Checker {
  #violations = new Map<string, Violation>();
  /** Inputs that parsed, and inputs refused with an allowed error. */
  counts = { ok: 0, refused: 0 };
  constructor(readonly allowed: readonly ErrorClass[]) {}

  #outcome<T>(fn: () => T): Outcome<T> {
    try {
      const value = fn();
      return { ok: true, value, text: `value ${stable(value)}` };
    } catch (error) {
      return { ok: false, error, text: `${errorName(error)}: ${messageOf(error)}` };
    }
  }

  /** Keeps the smallest input per problem and cause (where the message or the stack points). */
  #report(problem: string, input: string, detail: string, cause = ""): void {
    const key = `${problem} @ ${cause}`;
    const known = this.#violations.get(key);
    if (!known || input.length < known.input.length) {
      this.#violations.set(key, { problem, input, detail });
    }
  }

  /** Checks one input; returns the value when `fn` succeeded. */
  check<T>(input: string, fn: () => T, extra?: (value: T) => string | null): T | undefined {
    return this.#judge(input, this.#outcome(fn), this.#outcome(fn), extra);
  }

  /** Async variant for `Registry.invoke`. */
  async checkAsync(input: string, fn: () => Promise<unknown>): Promise<void> {
    const settle = async (): Promise<Outcome<unknown>> => {
      try {
        const value = await fn();
        return { ok: true, value, text: `value ${stable(value)}` };
      } catch (error) {
        return { ok: false, error, text: `${errorName(error)}: ${messageOf(error)}` };
      }
    };
    this.#judge(input, await settle(), await settle());
  }

  #judge<T>(
    input: string,
    first: Outcome<T>,
    second: Outcome<T>,
    extra?: (value: T) => string | null,
  ): T | undefined {
    if (first.text !== second.text) {
      this.#report("not deterministic", input, `${first.text} then ${second.text}`);
    }
    if (first.ok) {
      this.counts.ok++;
      const problem = extra?.(first.value) ?? null;
      if (problem) this.#report(problem, input, first.text.slice(0, 300));
      return first.value;
    }
    const error = first.error;
    const stack = error instanceof Error
      ? (error.stack ?? "").split("\n").slice(0, 6).join(" | ")
      : "";
    if (!this.allowed.some((c) => error instanceof c)) {
      const at = /\((file:[^)]*)\)/.exec(stack)?.[1] ?? "";
      const frame = /\/npm\/[^/]+\/([^/]+)\//.exec(at)?.[1] ?? at.replace(/:\d+:\d+$/, "");
      this.#report(`foreign error ${errorName(error)}`, input, stack, frame);
      return undefined;
    }
    this.counts.refused++;
    const message = messageOf(error);
    const cause = shapeOf(message);
    if (/[\n\r]/.test(message)) {
      this.#report("multi-line message", input, JSON.stringify(message.slice(0, 600)), cause);
    }
    if (message.length > MAX_MESSAGE) {
      this.#report(
        `message longer than ${MAX_MESSAGE} characters`,
        input,
        `${message.length} characters: ${JSON.stringify(message.slice(0, 200))}…`,
        cause,
      );
    }
    if (message.trim() === "") this.#report("empty message", input, stack);
    return undefined;
  }

  /** Fails naming every broken property with its smallest input. */
  assertClean(target: string): void {
    if (Deno.env.get("FUZZ_VERBOSE")) console.log(target, this.counts);
    // Inputs that all parse, or all fail, would test little: both kinds must be well represented.
    assert(this.counts.ok >= COUNT / 50, `${target}: too few inputs parsed (${this.counts.ok})`);
    assert(
      this.counts.refused >= COUNT / 50,
      `${target}: too few refused (${this.counts.refused})`,
    );
    if (this.#violations.size === 0) return;
    const lines = [...this.#violations.values()].map((v) =>
      `- ${v.problem}\n  input (${v.input.length} chars): ${
        JSON.stringify(v.input.slice(0, 400))
      }` +
      `${v.input.length > 400 ? "…" : ""}\n  ${v.detail.slice(0, 800)}`
    );
    throw new Error(`${target}: ${this.#violations.size} broken properties\n${lines.join("\n")}`);
  }
}

/** The gist of a message, for grouping: no file prefix, quotes, numbers or input past a break. */
function shapeOf(message: string): string {
  return message.replace(/^\/[^:]*: /, "").split(/[\n\r"'(]/)[0].replace(/\d+/g, "N")
    .slice(0, 40);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.constructor.name : typeof error;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? String(error.message) : String(error);
}

/** A stable text form of a value: JSON, own keys, prototypes ignored. */
function stable(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}

/** `fuzz` runs `COUNT` inputs through `body` with a PRNG seeded by `SEED` and the target. */
function fuzz(target: string, body: (r: Rand, i: number) => void | Promise<void>) {
  return async () => {
    const r = new Rand(SEED ^ hashOf(target));
    for (let i = 0; i < COUNT; i++) await body(r, i);
  };
}

function hashOf(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.codePointAt(0)!, 16777619);
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Seeds

const HASH = `sha256-${"ab".repeat(32)}`;

const MANIFEST_SEEDS = [
  JSON.stringify({
    $schema: "./plugins.schema.json",
    version: 1,
    plugins: [
      {
        name: "docker",
        source: "./plugins/docker/mod.ts",
        permissions: {
          read: ["${DOCKER_SOCKET}", "${REPOCATE_HOME}/workspaces"],
          write: ["${DOCKER_SOCKET}"],
          net: ["unix:${DOCKER_SOCKET}", "127.0.0.1:0"],
          env: ["DOCKER_HOST"],
        },
        timeouts: { initMs: 15000, callMs: 1800000 },
      },
      {
        name: "git",
        source: "./plugins/git/mod.ts",
        permissions: { read: ["./ws"], write: true, run: ["git", "./bin/x"], env: ["HOME"] },
        config: { workspaceRoot: "${REPOCATE_HOME}/workspaces", nested: { list: [1, "a", null] } },
      },
    ],
  }),
  JSON.stringify({
    version: 1,
    plugins: [
      { name: "hello", source: "https://plugins.example.org/hello@1.0.0/mod.ts", enabled: false },
      { name: "loop", source: "http://127.0.0.1:8080/mod.ts", description: "loopback" },
      { name: "file", source: "file:///opt/plugins/f.ts", permissions: { sys: ["hostname"] } },
    ],
  }),
  JSON.stringify({ version: 1, plugins: [] }),
];
const MANIFEST_VARS = {
  HOME: "/home/u",
  REPOCATE_HOME: "/home/u/.repocate",
  REPOCATE_ROOT: "/opt/repocate",
  DOCKER_SOCKET: "/var/run/docker.sock",
};

const LOCK_SEEDS = [
  JSON.stringify({
    version: 1,
    plugins: {
      "https://plugins.example.org/hello@1.0.0/mod.ts": {
        integrity: HASH,
        modules: {
          "https://plugins.example.org/hello@1.0.0/mod.ts": HASH,
          "https://plugins.example.org/hello@1.0.0/dep.ts": `sha256-${"0".repeat(64)}`,
        },
      },
      "http://127.0.0.1:4507/p.ts": { integrity: HASH, modules: {} },
    },
  }),
  JSON.stringify({ version: 1, plugins: {} }),
];

const URL_SEEDS = [
  "https://github.com/Owner/Repo.git",
  "https://git@host:8443/a/b/c.git",
  "http://127.0.0.1:8080/repos/thing.git",
  "http://[::1]:9000/x/y.git",
  "ssh://git@example.com:2222/owner/repo.git",
  "git+ssh://git@h/o/r.git",
  "ssh://git@[fe80::1]:22/r.git",
  "git@github.com:owner/repo.git",
  "me@host:/abs/path/proj.git/",
  "file:///srv/git/project.git",
  "file://localhost/srv/a%20b",
  "/srv/git/tool",
  "./rel/repo",
  "../up/repo.git",
];

const SOURCE_SEEDS = [
  "./plugins/git/mod.ts",
  "../other/mod.ts",
  "/abs/plugin.ts",
  "plugin.ts",
  "file:///opt/p/mod.ts",
  "file:///opt/my%20plugins/mod.ts",
  "https://plugins.example.org/hello@1.0.0/mod.ts",
  "http://127.0.0.1:8080/mod.ts",
  "http://localhost/mod.ts",
  "http://[::1]:1/mod.ts",
  "C:\\plugins\\mod.ts",
];

const DEVCONTAINER_SEEDS = [
  `{
  // JSONC: comments and trailing commas
  "name": "web",
  "build": { "dockerfile": "Dockerfile", "context": "..", "args": { "V": "\${localEnv:V:1}" }, "target": "dev" },
  "containerEnv": { "A": "\${localWorkspaceFolderBasename}", "B": "\${containerWorkspaceFolder}" },
  "remoteEnv": { "PATH": "\${containerEnv:PATH}:/x", "GONE": null },
  "forwardPorts": [3000, "db:5432"],
  "mounts": ["source=cache,target=/cache,type=volume", { "type": "bind", "source": "/tmp", "target": "/t" }],
  "runArgs": ["--cap-add=SYS_PTRACE", "-e", "X=1", "--init", "-v", "/a:/b:ro", "--gpus", "all"],
  "postCreateCommand": "make setup",
  "postStartCommand": ["echo", "hi"],
  "onCreateCommand": { "a": "echo a", "b": ["echo", "b"] },
  "remoteUser": "dev",
  "features": { "ghcr.io/x/y:1": {} },
}`,
  `{ "image": "debian:bookworm-slim", "workspaceFolder": "/work", "privileged": true, "capAdd": ["NET_ADMIN"] }`,
  `{ "dockerFile": "../Dockerfile", "context": "..", "overrideCommand": false }`,
];

const MANIFEST_PATHS: Paths = [
  ["plugins", 0, "name"],
  ["plugins", 0, "source"],
  ["plugins", 0, "description"],
  ["plugins", 0, "permissions", "read", 0],
  ["plugins", 0, "permissions", "net"],
  ["plugins", 0, "timeouts", "initMs"],
  ["plugins", 0, "config", "x"],
  ["plugins", 1, "config", "nested"],
  ["plugins", 1],
  ["$schema"],
];

const LOCK_PATHS: Paths = [
  ["plugins", "https://plugins.example.org/hello@1.0.0/mod.ts", "integrity"],
  ["plugins", "https://plugins.example.org/hello@1.0.0/mod.ts", "modules"],
  ["plugins", "https://plugins.example.org/hello@1.0.0/mod.ts", "modules", "https://x.org/a.ts"],
  ["plugins", "http://127.0.0.1:4507/p.ts"],
  ["plugins"],
];

const DEVCONTAINER_PATHS: Paths = [
  ["image"],
  ["workspaceFolder"],
  ["build", "dockerfile"],
  ["build", "context"],
  ["build", "args", "A"],
  ["dockerFile"],
  ["containerEnv", "K"],
  ["remoteEnv", "K"],
  ["forwardPorts", 0],
  ["forwardPorts"],
  ["mounts", 0],
  ["mounts", 1, "target"],
  ["runArgs", 0],
  ["runArgs", 1],
  ["runArgs"],
  ["postCreateCommand"],
  ["onCreateCommand", "a"],
  ["remoteUser"],
  ["capAdd"],
  ["customizations"],
  ["features"],
];

/**
 * Inputs this fuzzer found breaking a property, kept so the fixed seed always covers them. Each
 * was a real fault before its fix: V8's JSON.parse message quotes raw input (line breaks
 * included); zod's recursive `config` schema and jsonc-parser overflow the stack on deep
 * nesting (RangeError), as does substitute() over honoured devcontainer keys; resolveSource
 * quoted input whole, unescaped, and let fromFileUrl's URIError out; parseRepoUrl let
 * encodeURI's URIError out on an unpaired surrogate; devcontainer faults echoed values with
 * their line breaks; the registry echoed an unknown action name and input keys as they came;
 * and every fault list was unbounded (one fault per bad element of a 3000-item input).
 */
const nest = (depth: number, inner = "1") => "[".repeat(depth) + inner + "]".repeat(depth);
const FOUND = {
  manifest: [
    '#\r{"version"',
    `{"version":1,"plugins":[{"name":"a","source":"./a.ts","config":{"x":${nest(20_000)}}}]}`,
    JSON.stringify({ version: 1, plugins: [{ name: "a", source: "Bhost:\r'9\n<" }] }),
    JSON.stringify({ version: 1, plugins: [{ name: "a", source: `x:${"a".repeat(90_000)}` }] }),
    JSON.stringify({ version: 1, plugins: Array.from({ length: 600 }, () => ({ name: 1 })) }),
  ],
  lock: [
    "[y'/-c\u0000\u00e9\r",
    JSON.stringify({
      version: 1,
      plugins: { "https://h/p.ts": { integrity: HASH, modules: { "a\nb": 1, "c\rd": 2 } } },
    }),
  ],
  source: ["plssh://ugin.t\r", "file:///oC =%0pf", "file:%zxzz2//", `y:${"a".repeat(90_000)}`],
  url: ["../\udfff", "/srv/\ud800x", "file:///a/\udfff"],
  devcontainer: [
    nest(30_000),
    `{"image":${nest(10_000, '"x"')}}`,
    '{"image":"x","workspaceFolder":"a\\nb"}',
    `{"image":"x","workspaceFolder":"${"a".repeat(50_000)}"}`,
    `{"image":"x","forwardPorts":${
      JSON.stringify(Array.from({ length: 2000 }, (_, i) => `p${i}`))
    }}`,
    '{"build":{"dockerfile":"a\\nb"}}',
  ],
};

// ---------------------------------------------------------------------------------------------
// Targets

Deno.test("fuzz: parseManifest throws only one-line MANIFEST_INVALID errors", async () => {
  const checker = new Checker([RepocateError]);
  for (const seed of MANIFEST_SEEDS) {
    assert(checker.check(seed, () => parseManifest(seed, "/p/plugins.json", MANIFEST_VARS)));
  }
  for (const text of FOUND.manifest) {
    checker.check(text, () => parseManifest(text, "/p/plugins.json", MANIFEST_VARS));
  }
  await fuzz("manifest", (r) => {
    const text = textInput(r, MANIFEST_SEEDS, MANIFEST_PATHS);
    checker.check(text, () => parseManifest(text, "/p/plugins.json", MANIFEST_VARS), (m) => {
      for (const p of m.plugins) {
        if (Object.getPrototypeOf(p.config) !== Object.prototype) return "config prototype changed";
        if (!p.source.url && p.source.kind === "remote") return "remote source without a URL";
      }
      return null;
    });
  })();
  checker.assertClean("parseManifest");
});

Deno.test("fuzz: parseLock throws only one-line LOCK_INVALID errors", async () => {
  const checker = new Checker([RepocateError]);
  for (const seed of LOCK_SEEDS) assert(checker.check(seed, () => parseLock(seed, "/p/lock")));
  for (const text of FOUND.lock) checker.check(text, () => parseLock(text, "/p/lock"));
  await fuzz("lock", (r) => {
    const text = textInput(r, LOCK_SEEDS, LOCK_PATHS);
    checker.check(text, () => parseLock(text, "/p/plugins.lock.json"), (lock) => {
      for (const entry of Object.values(lock.plugins)) {
        if (!/^sha256-[0-9a-f]{64}$/.test(entry.integrity)) return "accepted a bad integrity";
      }
      return null;
    });
  })();
  checker.assertClean("parseLock");
});

Deno.test("fuzz: resolveSource throws only one-line TypeErrors", async () => {
  const checker = new Checker([TypeError]);
  for (const seed of SOURCE_SEEDS) assert(checker.check(seed, () => resolveSource(seed, "/base")));
  for (const text of FOUND.source) checker.check(text, () => resolveSource(text, "/base"));
  await fuzz("source", (r) => {
    const text = r.chance(0.02) ? hugeString(r) : mutateText(r, r.pick(SOURCE_SEEDS));
    checker.check(text, () => resolveSource(text, "/base"), (source) => {
      if (source.kind === "local" && !source.path.startsWith("/")) return "relative local path";
      if (source.kind === "remote" && !/^https?:\/\//.test(source.url)) return "bad remote URL";
      return null;
    });
  })();
  checker.assertClean("resolveSource");
});

Deno.test("fuzz: parseRepoUrl throws only one-line GitErrors and normalizes stably", async () => {
  const checker = new Checker([GitError]);
  const options = { cwd: "/home/u/src" };
  for (const seed of URL_SEEDS) assert(checker.check(seed, () => parseRepoUrl(seed, options)));
  for (const text of FOUND.url) checker.check(text, () => parseRepoUrl(text, options));
  await fuzz("repo-url", (r) => {
    const roll = r.int(20);
    const text = roll === 0 ? hugeString(r) : roll < 3 ? randString(r, 60) : mutateText(
      r,
      r.pick(URL_SEEDS),
    );
    const taken = new Set(r.chance(0.3) ? [randString(r, 6), "repo", "project"] : []);
    checker.check(text, () => parseRepoUrl(text, { ...options, taken }), (parsed) => {
      if (!/^[a-z0-9][a-z0-9_.-]*$/.test(parsed.baseName)) return "unsafe baseName";
      if (taken.has(parsed.suggestedName)) return "suggestedName is taken";
      // deno-lint-ignore no-control-regex
      if (/[\s\u0000-\u001f]/.test(parsed.url)) return "whitespace or control in the URL";
      const again = parseRepoUrl(parsed.url, options);
      if (again.url !== parsed.url || again.baseName !== parsed.baseName) {
        return "normalized URL does not parse back to itself";
      }
      return null;
    });
  })();
  checker.assertClean("parseRepoUrl");
});

Deno.test("fuzz: planFromConfig throws only one-line INPUT_INVALID errors", async () => {
  const checker = new Checker([RepocateError]);
  const plan = (text: string) =>
    planFromConfig({
      text,
      file: "/r/repo/.devcontainer/devcontainer.json",
      repoDir: "/r/repo",
      name: "repo",
      env: { HOME: "/home/u", V: "2", X: "x" },
    });
  for (const seed of DEVCONTAINER_SEEDS) assert(checker.check(seed, () => plan(seed)));
  for (const text of FOUND.devcontainer) checker.check(text, () => plan(text));
  await fuzz("devcontainer", (r) => {
    const text = textInput(r, DEVCONTAINER_SEEDS, DEVCONTAINER_PATHS);
    checker.check(text, () => plan(text), (p) => {
      if (!p.workspaceFolder.startsWith("/")) return "relative workspaceFolder";
      if (p.forwardPorts.some((n) => !Number.isInteger(n) || n < 1 || n > 65535)) {
        return "port out of range";
      }
      return null;
    });
  })();
  checker.assertClean("planFromConfig");
});

const SCHEMAS: Record<string, { schema: JsonSchema; valid: JsonValue }> = {
  "fuzz.clone": {
    schema: {
      type: "object",
      properties: {
        url: { type: "string", minLength: 1, maxLength: 2048 },
        dest: { type: "string" },
        branch: { type: "string", pattern: "^[A-Za-z0-9._/-]+$" },
        depth: { type: "integer", minimum: 1 },
      },
      required: ["url", "dest"],
      additionalProperties: false,
    },
    valid: { url: "https://h/o/r.git", dest: "/w/r", branch: "main", depth: 1 },
  },
  "fuzz.ports": {
    schema: {
      type: "array",
      items: { type: "integer", minimum: 1, maximum: 65535 },
      maxItems: 16,
      uniqueItems: true,
    },
    valid: [80, 443],
  },
  "fuzz.mode": { schema: { enum: ["run", "stop", null, 1] }, valid: "run" },
  "fuzz.nested": {
    schema: {
      type: "object",
      properties: {
        labels: { type: "object", additionalProperties: { type: "string" } },
        mounts: {
          type: "array",
          items: {
            oneOf: [
              { type: "string" },
              {
                type: "object",
                properties: { type: { const: "bind" }, source: { type: "string" } },
                required: ["type"],
              },
            ],
          },
        },
      },
    },
    valid: { labels: { a: "b" }, mounts: ["x", { type: "bind", source: "/s" }] },
  },
  "fuzz.any": { schema: {}, valid: { anything: [1, "two", null] } },
};

Deno.test("fuzz: Registry.invoke rejects bad input with one-line INPUT_INVALID errors", async () => {
  const registry = new Registry();
  const seen: JsonValue[] = [];
  registry.registerBatch("fuzz", {
    items: [],
    actions: Object.entries(SCHEMAS).map(([name, { schema }]) => ({
      name,
      description: "echo",
      inputSchema: schema,
      invoke: (input: JsonValue) => {
        seen.push(input);
        return Promise.resolve(input);
      },
    })),
  });
  const checker = new Checker([RepocateError]);
  const names = Object.keys(SCHEMAS);
  for (const name of names) {
    const { valid } = SCHEMAS[name];
    await checker.checkAsync(`${name} ${stable(valid)}`, () => registry.invoke(name, valid));
  }
  assertEquals(seen.length, 2 * names.length, "every valid seed reached its invoker");
  const found: [string, JsonValue][] = [
    ["f\rzz.mo", false],
    ["fuzz.clone", JSON.parse('{"url":"u","dest":"d","a\\nb":{}}')],
    ["fuzz.nested", JSON.parse('{"labels":{"k\\rl":1}}')],
    ["fuzz.ports", Array.from({ length: 3000 }, (_, i) => `port ${i}`)],
  ];
  for (const [name, input] of found) {
    await checker.checkAsync(`${name} ${stable(input)}`, () => registry.invoke(name, input));
  }
  await fuzz("registry", async (r) => {
    const name = r.chance(0.1) ? mutateText(r, r.pick(names)) : r.pick(names);
    const base = SCHEMAS[r.pick(names)].valid;
    const input = (r.chance(0.8) ? mutateJson(r, base) : randJson(r)) as JsonValue;
    const shown = `${JSON.stringify(name)} ${stable(input).slice(0, 2000)}`;
    await checker.checkAsync(shown, async () => {
      try {
        return await registry.invoke(name, input);
      } catch (error) {
        const code = error instanceof RepocateError ? error.code : "";
        if (
          error instanceof RepocateError && !["INPUT_INVALID", "ACTION_NOT_FOUND"].includes(code)
        ) {
          throw new Error(`unexpected code ${code}: ${error.message}`);
        }
        throw error;
      }
    });
  })();
  checker.assertClean("Registry.invoke");
});

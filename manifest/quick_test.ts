/**
 * The zod-free quick paths (normalize.ts's quickParseManifest, lock_entries.ts's quickParseLock)
 * against the zod parsers they stand in for at start-up: whenever a quick path answers, it gives
 * exactly what the zod parser gives (the same value, or the same fault); on typical files it
 * answers. Inputs are generated from a fixed seed.
 */
import { assert, assertEquals } from "@std/assert";
import { quickParseManifest } from "./normalize.ts";
import { parseManifest } from "./parse.ts";
import { quickParseLock } from "./lock_entries.ts";
import { parseLock } from "./lock.ts";
import { seededRandom } from "../tests/_support/random.ts";

const FILE = "/srv/conf/plugins.json";
const VARS = { HOME: "/home/u", REPOCATE_HOME: "/home/u/.repocate", REPOCATE_ROOT: "/opt/rc" };

const rng = seededRandom;

type Outcome = { ok: unknown } | { fault: string };

function outcome(f: () => unknown): Outcome {
  try {
    return { ok: f() };
  } catch (error) {
    return { fault: `${(error as { code?: string }).code}: ${(error as Error).message}` };
  }
}

/** Asserts the quick path agrees with zod on `text`; returns whether it answered. */
function sameManifest(text: string): boolean {
  const quick = outcome(() => quickParseManifest(text, FILE, VARS));
  if ("ok" in quick && quick.ok === null) return false;
  assertEquals(quick, outcome(() => parseManifest(text, FILE, VARS)), text);
  return true;
}

function sameLock(text: string): boolean {
  const quick = quickParseLock(text);
  if (quick === null) return false;
  assertEquals(quick, parseLock(text, "/p/plugins.lock.json"), text);
  return true;
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const ODD_VALUES = [
  undefined,
  null,
  0,
  -1,
  9,
  10,
  600_000,
  600_001,
  86_400_000,
  86_400_001,
  1.5,
  1e400,
  "",
  "x",
  "a".repeat(201),
  true,
  false,
  [],
  [""],
  ["a"],
  ["a", "a"],
  {},
  { a: 1 },
];

function randomGrant(r: () => number): unknown {
  return pick(r, [
    true,
    false,
    [],
    ["${HOME}/x", "./rel", "/abs", "/abs"],
    ["${NOPE}"],
    [""],
    Array(257).fill("x"),
    Array(256).fill("x"),
    "read",
    null,
    ["a", 1],
    ["git", "./bin/tool", "/usr/bin/x"],
  ]);
}

function randomConfig(r: () => number, depth = 0): unknown {
  const kinds = depth > 4 ? 4 : 7;
  switch (Math.floor(r() * kinds)) {
    case 0:
      return Object.fromEntries(
        Array.from({ length: Math.floor(r() * 3) }, (_, i) => [
          pick(r, [`k${i}`, "__proto__", "constructor", "1", "a b", "${HOME}"]),
          randomConfig(r, depth + 1),
        ]),
      );
    case 1:
      return Array.from({ length: Math.floor(r() * 3) }, () => randomConfig(r, depth + 1));
    case 2:
      return pick(r, ["${HOME}/p", "${UNKNOWN}", "plain", ""]);
    case 3:
      return pick(r, [0, -3.5, 1e300, true, false, null]);
    default:
      return { nested: randomConfig(r, depth + 1) };
  }
}

function randomEntry(r: () => number, i: number): unknown {
  const entry: Record<string, unknown> = {
    name: r() < 0.9 ? `p${i}` : pick(r, ["P", "1x", "a".repeat(41), "ok-name", 7]),
    source: r() < 0.85
      ? pick(r, [
        "./plugin.ts",
        "/abs/plugin.ts",
        "https://example.com/p/mod.ts",
        "http://127.0.0.1:8000/mod.ts",
        "${REPOCATE_ROOT}/plugins/x/mod.ts",
      ])
      : pick(r, ["", "http://example.com/x.ts", "ftp://x/y", "https://u:p@h/x", "${NOPE}/x", 3]),
  };
  if (r() < 0.3) entry.description = pick(r, ["a plugin", "a".repeat(200), "a".repeat(201), 1]);
  if (r() < 0.3) entry.enabled = pick(r, [true, false, "yes", null]);
  if (r() < 0.6) {
    const permissions: Record<string, unknown> = {};
    for (const key of ["read", "write", "net", "env", "run", "sys", "ffi", "import", "hrtime"]) {
      if (r() < 0.3) permissions[key] = randomGrant(r);
    }
    entry.permissions = r() < 0.95 ? permissions : pick(r, [null, [], "all"]);
  }
  if (r() < 0.3) {
    const timeouts: Record<string, unknown> = {};
    if (r() < 0.6) timeouts.initMs = pick(r, ODD_VALUES);
    if (r() < 0.6) timeouts.callMs = pick(r, ODD_VALUES);
    if (r() < 0.1) timeouts.other = 1;
    entry.timeouts = timeouts;
  }
  if (r() < 0.2) entry.memoryMb = pick(r, [16, 15, 64, 65_536, 65_537, 64.5, "64", null]);
  if (r() < 0.3) entry.isolation = pick(r, ["worker", "process", "vm", "", null, 1]);
  if (r() < 0.5) entry.config = r() < 0.9 ? randomConfig(r) : pick(r, [null, [], "x"]);
  if (r() < 0.05) entry.extra = true;
  return entry;
}

Deno.test("quickParseManifest gives what parseManifest gives whenever it answers", () => {
  const r = rng(5);
  let answered = 0;
  const n = 3000;
  for (let i = 0; i < n; i++) {
    const plugins = Array.from({ length: Math.floor(r() * 4) }, (_, k) => randomEntry(r, k));
    if (r() < 0.1 && plugins.length) plugins.push(plugins[0]);
    const doc: Record<string, unknown> = { version: r() < 0.95 ? 1 : pick(r, [2, "1", null]) };
    if (r() < 0.3) doc.$schema = pick(r, ["./plugins.schema.json", 1]);
    if (r() < 0.97) doc.plugins = r() < 0.98 ? plugins : {};
    if (r() < 0.02) doc.other = 1;
    if (sameManifest(JSON.stringify(doc))) answered++;
  }
  assert(answered > n / 10, `the quick path answered only ${answered} of ${n}`);
});

Deno.test("quickParseManifest answers for typical manifests and leaves odd ones to zod", async () => {
  const own = await Deno.readTextFile(new URL("../plugins.json", import.meta.url));
  assert(sameManifest(own), "repocate's own plugins.json");
  assert(sameManifest(JSON.stringify({ version: 1, plugins: [] })));
  const odd = [
    "not json",
    JSON.stringify({
      version: 1,
      plugins: [{ name: "a", source: "x", config: { __proto__x: 1 } }],
    }),
    `{"version":1,"plugins":[{"name":"a","source":"x","config":{"__proto__":{"a":1}}}]}`,
    JSON.stringify({
      version: 1,
      plugins: [{
        name: "a",
        source: "x",
        config: { v: JSON.parse("[".repeat(40) + "]".repeat(40)) },
      }],
    }),
    `{"version":1,"plugins":[{"name":"a","source":"x","config":{"v":${"[".repeat(5000)}${
      "]".repeat(5000)
    }}}]}`,
  ];
  for (const text of odd) sameManifest(text);
});

Deno.test("quickParseLock gives what parseLock gives whenever it answers", () => {
  const r = rng(11);
  const hash = (c: string) => `sha256-${c.repeat(64)}`;
  const urls = [
    "https://example.com/p/mod.ts",
    "http://127.0.0.1:8000/mod.ts",
    "HTTPS://example.com/x.ts",
    " https://example.com/x.ts",
    "https://exa\nmple.com/x.ts",
    "https:example.com/x.ts",
    "ftp://example.com/x.ts",
    "https://",
    "not a url",
    "https://example.com/a b.ts",
    "https://[::1]/x.ts",
    "https://example.com/%zz",
  ];
  let answered = 0;
  for (let i = 0; i < 2000; i++) {
    const plugins: Record<string, unknown> = {};
    for (let k = 0; k < Math.floor(r() * 3); k++) {
      const modules: Record<string, unknown> = {};
      for (let m = 0; m < Math.floor(r() * 3); m++) {
        modules[pick(r, ["https://example.com/a.ts", "", "x", "__proto__"])] = pick(r, [
          hash("a"),
          hash("0"),
          hash("A"),
          "sha256-abc",
          1,
        ]);
      }
      const entry: Record<string, unknown> = {
        integrity: pick(r, [hash("b"), hash("b"), "sha1-x", null]),
        modules: r() < 0.95 ? modules : [],
      };
      if (r() < 0.05) entry.extra = 1;
      plugins[pick(r, urls)] = r() < 0.97 ? entry : "x";
    }
    const doc: Record<string, unknown> = { version: r() < 0.95 ? 1 : 2, plugins };
    if (r() < 0.03) doc.other = true;
    if (sameLock(JSON.stringify(doc))) answered++;
  }
  assert(answered > 200, `the quick path answered only ${answered}`);
  assert(sameLock(JSON.stringify({ version: 1, plugins: {} })));
  assertEquals(quickParseLock("[]"), null);
});

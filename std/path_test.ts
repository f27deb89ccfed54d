/**
 * std/path.ts against `node:path.posix` and `node:url` (what it was built on before): every
 * function on thousands of generated paths, from a fixed seed, then a few cases by hand.
 */
import nodePath from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { assertEquals, assertThrows } from "@std/assert";
import * as path from "./path.ts";
import { seededRandom } from "../tests/_support/random.ts";

const posix = nodePath.posix;

const rng = seededRandom;

const SEGMENTS = [
  "",
  ".",
  "..",
  "...",
  "a",
  "bc",
  "a.b",
  "a.b.c",
  ".x",
  "x.",
  "..x",
  "x..",
  "a b",
  " ",
  "é",
  "日本",
  "😀",
  "\ud800",
  "%",
  "%25",
  "%2F",
  "%2f",
  "%C3%A9",
  "%ff",
  "%2e%2e",
  "%zz",
  "#",
  "?",
  "a?b#c",
  "\\",
  "\t",
  "\n",
  "~[]|^`{}<>\"'",
  "!$&'()*+,;=:@",
  "localhost",
  "C:",
];

function generator(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  return {
    r,
    pick,
    path(): string {
      let out = r() < 0.5 ? "/".repeat(1 + Math.floor(r() * r() * 3)) : "";
      const count = Math.floor(r() * 6);
      for (let i = 0; i < count; i++) {
        out += pick(SEGMENTS);
        if (i < count - 1 || r() < 0.3) out += "/".repeat(r() < 0.8 ? 1 : Math.floor(r() * 4));
      }
      return out;
    },
  };
}

/** The result, or the class of what was thrown. */
function outcome(fn: () => unknown): unknown {
  try {
    const value = fn();
    return value instanceof URL ? { href: value.href } : { value };
  } catch (error) {
    return { threw: error instanceof TypeError ? "TypeError" : (error as Error).name };
  }
}

function same(name: string, args: unknown[], ours: () => unknown, node: () => unknown): void {
  assertEquals(outcome(ours), outcome(node), `${name}(${JSON.stringify(args).slice(1, -1)})`);
}

Deno.test("std/path equals node:path.posix on generated paths", () => {
  const g = generator(20240607);
  for (let i = 0; i < 6000; i++) {
    const a = g.path();
    const b = g.path();
    const more = Array.from({ length: Math.floor(g.r() * 4) }, () => g.path());
    for (const name of ["dirname", "extname", "normalize", "isAbsolute", "basename"] as const) {
      same(name, [a], () => path[name](a), () => posix[name](a));
    }
    const suffix = g.pick(["", ".c", "c", a.slice(-2), a, `x${a}`, "/"]);
    same("basename", [a, suffix], () => path.basename(a, suffix), () => posix.basename(a, suffix));
    same("join", [a, ...more], () => path.join(a, ...more), () => posix.join(a, ...more));
    same("join", more, () => path.join(...more), () => posix.join(...more));
    same("resolve", [a, ...more], () => path.resolve(a, ...more), () => posix.resolve(a, ...more));
    same("resolve", more, () => path.resolve(...more), () => posix.resolve(...more));
    same("relative", [a, b], () => path.relative(a, b), () => posix.relative(a, b));
    same(
      "relative",
      [a, a + "/" + b],
      () => path.relative(a, `${a}/${b}`),
      () => posix.relative(a, `${a}/${b}`),
    );
  }
});

Deno.test("std/path's file URLs equal node:url's on generated paths", () => {
  const g = generator(77);
  for (let i = 0; i < 6000; i++) {
    const p = g.path();
    same("toFileUrl", [p], () => path.toFileUrl(p), () => pathToFileURL(p));
    const href = pathToFileURL(p).href;
    same("fromFileUrl", [href], () => path.fromFileUrl(href), () => fileURLToPath(href));
    const url = new URL(href);
    same("fromFileUrl", [url], () => path.fromFileUrl(url), () => fileURLToPath(url));
    // As written by hand: raw characters, stray `%`, encoded `/`, a host, another scheme.
    const prefix = g.pick([
      "file://",
      "file:///",
      "file://localhost/",
      "file://host/",
      "http://x/",
    ]);
    const raw = prefix + p;
    same("fromFileUrl", [raw], () => path.fromFileUrl(raw), () => fileURLToPath(raw));
  }
});

Deno.test("std/path: cases by hand", () => {
  assertEquals(path.SEPARATOR, "/");
  assertEquals(path.join("/a/b", "../c", "./d/"), "/a/c/d/");
  assertEquals(path.join(), ".");
  assertEquals(path.normalize("a/../.."), "..");
  assertEquals(path.normalize("/../a//b/."), "/a/b");
  assertEquals(path.dirname("/a/b/"), "/a");
  assertEquals(path.dirname("a"), ".");
  assertEquals(path.basename("/a/b.txt", ".txt"), "b");
  assertEquals(path.extname("/a/.profile"), "");
  assertEquals(path.extname("/a/b.tar.gz"), ".gz");
  assertEquals(path.relative("/a/b/c", "/a/d"), "../../d");
  assertEquals(path.resolve("/a", "b", "/c", "d/.."), "/c");
  assertEquals(path.resolve("x"), `${Deno.cwd()}/x`);
  assertEquals(
    path.toFileUrl("/tmp/a b/%/#?/é").href,
    "file:///tmp/a%20b/%25/%23%3F/%C3%A9",
  );
  assertEquals(path.fromFileUrl("file:///tmp/a%20b/%25/%23%3F/%C3%A9"), "/tmp/a b/%/#?/é");
  assertEquals(path.fromFileUrl("file://localhost/etc/hosts"), "/etc/hosts");
  assertThrows(() => path.fromFileUrl("https://example.com/a"), TypeError, "file URL");
  assertThrows(() => path.fromFileUrl("file://server/share"), TypeError, "host");
  assertThrows(() => path.fromFileUrl("file:///a%2Fb"), TypeError, "encoded /");
  assertThrows(() => path.join("a", 1 as unknown as string), TypeError);
});

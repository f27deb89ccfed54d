import { assertEquals } from "@std/assert";
import { hasExclusions, isIgnored, parseDockerignore } from "./dockerignore.ts";

function ignored(text: string, paths: string[]): string[] {
  const patterns = parseDockerignore(text);
  return paths.filter((path) => isIgnored(path, patterns));
}

const PATHS = [
  "README.md",
  "x.log",
  "sub/x.log",
  "node_modules/a/index.js",
  "src/node_modules/b.js",
  "build/out.bin",
  "docs/a.md",
  "docs/keep.md",
];

Deno.test("comments and blank lines are skipped; exact names match files and folders", () => {
  assertEquals(
    ignored("# comment\n\nREADME.md\nnode_modules\n", PATHS),
    ["README.md", "node_modules/a/index.js"],
  );
});

Deno.test("dir/ and ./dir and /dir all name the root folder", () => {
  assertEquals(ignored("build/\n", PATHS), ["build/out.bin"]);
  assertEquals(ignored("./build\n", PATHS), ["build/out.bin"]);
  assertEquals(ignored("/build\n", PATHS), ["build/out.bin"]);
});

Deno.test("*.ext matches at the root only; **/*.ext matches everywhere", () => {
  assertEquals(ignored("*.log\n", PATHS), ["x.log"]);
  assertEquals(ignored("**/*.log\n", PATHS), ["x.log", "sub/x.log"]);
  assertEquals(ignored("**/node_modules\n", PATHS), [
    "node_modules/a/index.js",
    "src/node_modules/b.js",
  ]);
});

Deno.test("** alone ignores everything and ! re-includes, the last match winning", () => {
  assertEquals(ignored("**\n!docs/keep.md\n", PATHS), [
    "README.md",
    "x.log",
    "sub/x.log",
    "node_modules/a/index.js",
    "src/node_modules/b.js",
    "build/out.bin",
    "docs/a.md",
  ]);
  assertEquals(ignored("docs\n!docs/keep.md\ndocs/*\n", PATHS), ["docs/a.md", "docs/keep.md"]);
});

Deno.test("? and character classes stay within a segment", () => {
  assertEquals(ignored("?.log\n", PATHS), ["x.log"]);
  assertEquals(ignored("[a-z].log\n", PATHS), ["x.log"]);
  assertEquals(ignored("sub?x.log\n", PATHS), []);
});

Deno.test("regex metacharacters in patterns are literal", () => {
  assertEquals(ignored("a+b(1).txt\n", ["a+b(1).txt", "aab1.txt"]), ["a+b(1).txt"]);
  assertEquals(ignored("\\*.txt\n", ["*.txt", "x.txt"]), ["*.txt"]);
});

Deno.test("hasExclusions tells whether ignored folders still need walking", () => {
  assertEquals(hasExclusions(parseDockerignore("a\nb\n")), false);
  assertEquals(hasExclusions(parseDockerignore("a\n!a/b\n")), true);
});

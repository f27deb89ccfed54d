import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { RepocateError } from "../errors.ts";
import { graphIntegrity, sha256 } from "../host/hash.ts";
import {
  diffModules,
  emptyLock,
  mismatchError,
  parseLock,
  serializeLock,
  withEntry,
  withoutEntry,
} from "./lock.ts";
import type { Lock, LockEntry } from "./types.ts";

const FILE = "/srv/conf/plugins.lock.json";

/** A well-formed hash made of one repeated hex digit. */
const h = (digit: string) => `sha256-${digit.repeat(64)}`;

const A = "https://a.example/p@1.0.0/mod.ts";
const B = "https://b.example/q@2.0.0/mod.ts";

function entry(modules: Record<string, string>): LockEntry {
  return { integrity: h("f"), modules };
}

/** A lock whose keys are deliberately out of order at every level. */
function unorderedLock(): Lock {
  return {
    version: 1,
    plugins: {
      [B]: entry({ [`${B}/z.ts`]: h("2"), [B]: h("1") }),
      [A]: entry({ "https://a.example/p@1.0.0/util.ts": h("4"), [A]: h("3") }),
    },
  };
}

function lockFault(text: string): string {
  const error = assertThrows(() => parseLock(text, FILE), RepocateError);
  assertEquals(error.code, "LOCK_INVALID");
  assert(error.message.startsWith(`${FILE}: `), error.message);
  assert(!error.message.includes("\n"), error.message);
  return error.message;
}

Deno.test("serializeLock sorts source URLs and module keys and ends with a newline", () => {
  const text = serializeLock(unorderedLock());
  assert(text.endsWith("}\n"), "final newline");
  assert(!text.endsWith("\n\n"), "exactly one final newline");
  const parsed = JSON.parse(text);
  assertEquals(Object.keys(parsed), ["version", "plugins"]);
  assertEquals(Object.keys(parsed.plugins), [A, B]);
  assertEquals(Object.keys(parsed.plugins[A].modules), [A, "https://a.example/p@1.0.0/util.ts"]);
  assertEquals(Object.keys(parsed.plugins[B].modules), [B, `${B}/z.ts`]);
  assertEquals(Object.keys(parsed.plugins[A]), ["integrity", "modules"]);
  assert(text.startsWith('{\n  "version": 1,\n  "plugins": {\n    "'), "two-space indent");
});

Deno.test("serializeLock is stable through a parse round trip", () => {
  const once = serializeLock(unorderedLock());
  assertEquals(serializeLock(parseLock(once, FILE)), once);
  assertEquals(parseLock(once, FILE), {
    version: 1,
    plugins: { [A]: unorderedLock().plugins[A], [B]: unorderedLock().plugins[B] },
  });
});

Deno.test("an empty lock serializes to a valid, parseable lock", () => {
  const text = serializeLock(emptyLock());
  assertEquals(text, '{\n  "version": 1,\n  "plugins": {}\n}\n');
  assertEquals(parseLock(text, FILE), emptyLock());
});

Deno.test("serializeLock drops fields a lock entry should not carry", () => {
  const lock = {
    version: 1,
    plugins: { [A]: { integrity: h("a"), modules: { [A]: h("b") }, stray: 1 } },
  } as unknown as Lock;
  assertEquals(JSON.parse(serializeLock(lock)).plugins[A], {
    integrity: h("a"),
    modules: { [A]: h("b") },
  });
});

Deno.test("parseLock reports text that is not JSON", () => {
  assertStringIncludes(lockFault("{"), `${FILE}: not valid JSON: `);
});

Deno.test("parseLock refuses a malformed hash naming its JSON path", () => {
  const text = JSON.stringify({
    version: 1,
    plugins: { [A]: { integrity: "sha256-XYZ", modules: { [A]: "md5-00" } } },
  });
  const message = lockFault(text);
  assertStringIncludes(
    message,
    `plugins["${A}"].integrity: must be sha256-<64 hex digits>`,
  );
  assertStringIncludes(
    message,
    `plugins["${A}"].modules["${A}"]: must be sha256-<64 hex digits>`,
  );
  // Upper-case hex is not the form the lock writes.
  lockFault(JSON.stringify({
    version: 1,
    plugins: { [A]: { integrity: `sha256-${"A".repeat(64)}`, modules: {} } },
  }));
});

Deno.test("parseLock refuses unknown keys naming their JSON path", () => {
  assertStringIncludes(
    lockFault(JSON.stringify({ version: 1, plugins: {}, extra: true })),
    `${FILE}: extra: unknown key`,
  );
  assertStringIncludes(
    lockFault(JSON.stringify({
      version: 1,
      plugins: { [A]: { integrity: h("1"), modules: {}, note: "x" } },
    })),
    `plugins["${A}"].note: unknown key`,
  );
});

Deno.test("parseLock refuses a wrong version, a missing plugins map and keys that are not http(s) URLs", () => {
  assertStringIncludes(lockFault(JSON.stringify({ version: 2, plugins: {} })), "version: ");
  assertStringIncludes(lockFault(JSON.stringify({ version: 1 })), "plugins: ");
  for (const key of ["./local.ts", "ftp://x.example/p.ts", "file:///p.ts"]) {
    assertStringIncludes(
      lockFault(JSON.stringify({ version: 1, plugins: { [key]: entry({}) } })),
      `plugins["${key}"]: Invalid key in record`,
    );
  }
  assertStringIncludes(
    lockFault(JSON.stringify({ version: 1, plugins: { [A]: entry({ "": h("1") }) } })),
    `plugins["${A}"].modules[""]: Invalid key in record`,
  );
});

Deno.test("lock errors are usage errors", () => {
  const error = assertThrows(() => parseLock("[]", FILE), RepocateError);
  assertEquals(error.code, "LOCK_INVALID");
  assert(error.isUsage);
});

Deno.test("withEntry and withoutEntry return new locks and leave the original alone", () => {
  const base = emptyLock();
  const one = withEntry(base, A, entry({ [A]: h("1") }));
  assertEquals(base, emptyLock());
  assertEquals(Object.keys(one.plugins), [A]);
  const replaced = withEntry(one, A, entry({ [A]: h("2") }));
  assertEquals(replaced.plugins[A].modules[A], h("2"));
  assertEquals(one.plugins[A].modules[A], h("1"));
  const none = withoutEntry(replaced, A);
  assertEquals(none, emptyLock());
  assertEquals(Object.keys(replaced.plugins), [A]);
  assertEquals(withoutEntry(none, B), emptyLock());
});

Deno.test("diffModules finds changed, new and removed modules, sorted by URL", () => {
  const locked = entry({
    "https://x.example/same.ts": h("0"),
    "https://x.example/changed.ts": h("1"),
    "https://x.example/removed.ts": h("2"),
  });
  const actual = entry({
    "https://x.example/same.ts": h("0"),
    "https://x.example/changed.ts": h("9"),
    "https://x.example/added.ts": h("3"),
  });
  assertEquals(diffModules(locked, actual), [
    { url: "https://x.example/added.ts", locked: null, actual: h("3") },
    { url: "https://x.example/changed.ts", locked: h("1"), actual: h("9") },
    { url: "https://x.example/removed.ts", locked: h("2"), actual: null },
  ]);
  assertEquals(diffModules(locked, locked), []);
});

Deno.test("mismatchError names the plugin, the URL, the changed module with both hashes and the remedy", () => {
  const mod = "https://a.example/p@1.0.0/util.ts";
  const error = mismatchError(
    "hello",
    A,
    entry({ [A]: h("0"), [mod]: h("1") }),
    entry({ [A]: h("0"), [mod]: h("2") }),
  );
  assertEquals(error.code, "LOCK_MISMATCH");
  assert(!error.isUsage);
  assert(!error.message.includes("\n"));
  assertStringIncludes(error.message, 'plugin "hello"');
  assertStringIncludes(error.message, `content of ${A} differs from plugins.lock.json`);
  assertStringIncludes(error.message, `${mod} changed: locked ${h("1")}, fetched ${h("2")}`);
  assert(!error.message.includes(`${A} changed`), "unchanged modules are not listed");
  assertStringIncludes(error.message, "immutable URL");
  assertStringIncludes(error.message, "`repocate plugins lock hello`");
});

Deno.test("mismatchError describes new and dropped imports", () => {
  const error = mismatchError(
    "p",
    A,
    entry({ [A]: h("0"), "https://a.example/old.ts": h("1") }),
    entry({ [A]: h("0"), "https://a.example/new.ts": h("2") }),
  );
  assertStringIncludes(error.message, `https://a.example/new.ts is a new import (${h("2")})`);
  assertStringIncludes(error.message, "https://a.example/old.ts is no longer imported");
});

Deno.test("mismatchError falls back to the integrity when no module differs", () => {
  const error = mismatchError(
    "p",
    A,
    { integrity: h("1"), modules: { [A]: h("0") } },
    { integrity: h("2"), modules: { [A]: h("0") } },
  );
  assertStringIncludes(error.message, `integrity locked ${h("1")}, fetched ${h("2")}`);
});

Deno.test("hashes from host/hash.ts are accepted by the lock", async () => {
  const modules = { [A]: await sha256("export const x = 1;\n") };
  const lock = withEntry(emptyLock(), A, { integrity: await graphIntegrity(modules), modules });
  assertEquals(parseLock(serializeLock(lock), FILE), lock);
  assertEquals(
    await sha256(""),
    "sha256-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
});

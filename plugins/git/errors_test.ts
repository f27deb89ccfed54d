import { assert, assertEquals } from "@std/assert";
import { GitError, messageOf, oneLine } from "./errors.ts";

Deno.test("GitError carries a stable code and a one-line message", () => {
  const cause = new Error("inner");
  const error = new GitError("GIT_NETWORK", "first\n  second\r\nthird", { cause });
  assertEquals(error.code, "GIT_NETWORK");
  assertEquals(error.name, "GitError");
  assertEquals(error.message, "first second third");
  assertEquals(error.cause, cause);
  assert(error instanceof Error);
  assert(/^[A-Z][A-Z0-9_]{1,40}$/.test(error.code), "the host's code shape");
});

Deno.test("oneLine and messageOf flatten whitespace", () => {
  assertEquals(oneLine("  a\n\tb  "), "a b");
  assertEquals(messageOf(new Error("x\ny")), "x y");
  assertEquals(messageOf("plain"), "plain");
});

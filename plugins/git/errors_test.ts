import { assert, assertEquals } from "@std/assert";
import { GitError, isReadOnlyFs, messageOf, oneLine, readOnlyError } from "./errors.ts";

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

Deno.test("isReadOnlyFs knows EROFS and git's message for it; readOnlyError names the path", () => {
  const erofs = Object.assign(new Error("Read-only file system (os error 30): mkdir '/w/x'"), {
    code: "EROFS",
  });
  assert(isReadOnlyFs(erofs));
  assert(
    isReadOnlyFs({ stderr: "fatal: could not create work tree dir 'x': Read-only file system" }),
  );
  assert(!isReadOnlyFs(new Error("Permission denied")));
  assert(!isReadOnlyFs(null));
  const error = readOnlyError("snapshot /w/x", "/w", erofs);
  assertEquals(error.code, "GIT_READ_ONLY");
  assertEquals(
    error.message,
    "cannot snapshot /w/x: /w is on a read-only filesystem (nothing was changed)",
  );
  assertEquals(error.cause, erofs);
});

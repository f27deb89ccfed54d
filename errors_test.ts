import { assertEquals } from "@std/assert";
import { messageOf, RepocateError } from "./errors.ts";

Deno.test("a RepocateError's message is always one line", () => {
  const error = new RepocateError("USAGE", "input is not valid JSON:\n  Unexpected token\r\n at 3");
  assertEquals(error.message, "input is not valid JSON: Unexpected token at 3");
});

Deno.test("usage codes exit 2, operation failures 1", () => {
  assertEquals(new RepocateError("INPUT_INVALID", "x").isUsage, true);
  assertEquals(new RepocateError("ACTION_FAILED", "x").isUsage, false);
});

Deno.test("messageOf folds any thrown value onto one line", () => {
  assertEquals(messageOf(new Error("a\n  b")), "a b");
  assertEquals(messageOf("plain"), "plain");
});

import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { isMessage, LogLimiter, MAX_ACTIONS, registrationFault } from "./message_guard.ts";

Deno.test("only objects with a string t are protocol messages", () => {
  assertEquals([{ t: "log" }, "log", null, [1], { t: 1 }].map(isMessage), [
    true,
    false,
    false,
    false,
    false,
  ]);
});

Deno.test("registrationFault bounds the number of actions and checks every entry's shape", () => {
  const action = (name: string) => ({ name, description: "d", inputSchema: {} });
  assertEquals(registrationFault([{ kind: "k", name: "n" }], [action("a.b")]), null);
  const many = Array.from({ length: MAX_ACTIONS + 1 }, (_, i) => action(`a.n${i}`));
  assertStringIncludes(registrationFault([], many)!, `at most ${MAX_ACTIONS}`);
  assertStringIncludes(registrationFault([{ kind: 1 }])!, "kind and name");
  assertStringIncludes(registrationFault([], [{ name: "a.b", description: "d" }])!, "JSON Schema");
  assertStringIncludes(registrationFault("items")!, "must be lists");
});

Deno.test("the log limiter passes a burst, then its rate, and counts what it dropped", () => {
  const limiter = new LogLimiter(3, 10);
  const t0 = performance.now();
  const passed = Array.from({ length: 5 }, () => limiter.allow(t0)).filter(Boolean).length;
  assertEquals(passed, 3);
  assertEquals(limiter.takeDropped(), 2);
  assertEquals(limiter.takeDropped(), 0);
  assert(limiter.allow(t0 + 100), "a tenth of a second refills one line at 10/s");
  assertEquals(limiter.allow(t0 + 100), false);
});

import { assertEquals, assertMatch, assertNotEquals, assertRejects } from "@std/assert";
import { join } from "@std/path";
import { RepocateError } from "../errors.ts";
import { loadOrCreateToken, newToken } from "./token.ts";

async function inTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-token-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a new token is 32 random bytes in hex, different every time", () => {
  assertMatch(newToken(), /^[0-9a-f]{64}$/);
  assertNotEquals(newToken(), newToken());
});

Deno.test("the token file is created 0600 in a new 0700 folder, then reused", async () => {
  await inTemp(async (dir) => {
    const file = join(dir, "home", "token");
    const first = await loadOrCreateToken(file);
    assertEquals(first.created, true);
    assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(join(dir, "home"))).mode! & 0o777, 0o700);
    assertEquals(await Deno.readTextFile(file), `${first.token}\n`);
    assertEquals(await loadOrCreateToken(file), { token: first.token, created: false });
  });
});

Deno.test("a token file others can read, or one without a usable token, is refused", async () => {
  await inTemp(async (dir) => {
    const open = join(dir, "open");
    await Deno.writeTextFile(open, "0123456789abcdef0123\n");
    await Deno.chmod(open, 0o644);
    const error = await assertRejects(() => loadOrCreateToken(open), RepocateError);
    assertMatch(error.message, /can be read by others \(mode 644\); run chmod 600/);
    const short = join(dir, "short");
    await Deno.writeTextFile(short, "abc\n", { mode: 0o600 });
    await assertRejects(() => loadOrCreateToken(short), RepocateError, "at least 16");
  });
});

import { assertEquals } from "@std/assert";
import { moduleUrlFor } from "./prepare.ts";

Deno.test("moduleUrlFor gives a data: URL that imports as the same code, non-ASCII text included", async () => {
  const text = "héllo ✓ 😀 \\u0000 `${1}`";
  const code = `export const text = ${JSON.stringify(text)};\nexport const big = "${
    "x".repeat(100_000)
  }";\n`;
  const url = moduleUrlFor(code);
  assertEquals(url.slice(0, 28), "data:text/javascript;base64,");
  const mod = await import(url);
  assertEquals([mod.text, mod.big.length], [text, 100_000]);
});

import { assertEquals, assertRejects } from "@std/assert";
import { readLines } from "./lines.ts";

const streamOf = (...chunks: string[]) =>
  ReadableStream.from(chunks.map((c) => new TextEncoder().encode(c)));

const collect = async (stream: ReadableStream<Uint8Array>, max?: number) => {
  const out: string[] = [];
  for await (const line of readLines(stream, max)) out.push(line);
  return out;
};

Deno.test("lines split across chunks, multi-byte characters and a last unterminated line", async () => {
  const euro = new TextEncoder().encode("€");
  const stream = ReadableStream.from([
    new TextEncoder().encode('{"a":1}\n{"b":'),
    euro.slice(0, 1),
    euro.slice(1),
    new TextEncoder().encode('2}\n\n{"c":3}'),
  ]);
  assertEquals(await collect(stream), ['{"a":1}', '{"b":€2}', '{"c":3}']);
});

Deno.test("a line over the limit ends the stream with an error", async () => {
  await assertRejects(() => collect(streamOf("x".repeat(50), "y"), 16), RangeError, "16 bytes");
});

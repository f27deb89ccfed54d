import { assertEquals, assertRejects } from "@std/assert";
import { jsonLineWriter, readLines } from "./lines.ts";

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

Deno.test("jsonLineWriter writes messages as lines in order, and reports a failed write", async () => {
  const chunks: string[] = [];
  const sink = new WritableStream<Uint8Array>({
    write: (chunk) => void chunks.push(new TextDecoder().decode(chunk)),
  });
  const out = jsonLineWriter(sink, () => {});
  out.write({ t: "a" });
  out.write([1, "€"]);
  await out.flushed();
  assertEquals(chunks.join(""), '{"t":"a"}\n[1,"€"]\n');
  assertEquals(await collect(streamOf(chunks.join(""))), ['{"t":"a"}', '[1,"€"]']);

  let failures = 0;
  const broken = new WritableStream<Uint8Array>({
    write: () => Promise.reject(new Error("pipe closed")),
  });
  const lost = jsonLineWriter(broken, () => failures++);
  lost.write({ t: "b" });
  await lost.flushed();
  assertEquals(failures, 1);
});

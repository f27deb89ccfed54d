import { assertEquals } from "@std/assert";
import { concatBytes } from "./bytes.ts";
import { demuxBuffer, LineSplitter } from "./streams.ts";

Deno.test("LineSplitter emits whole lines across chunks and keeps a bounded tail", () => {
  const lines: string[] = [];
  const split = new LineSplitter((line) => lines.push(line), 2);
  split.push("Step 1/2 : FR");
  split.push("OM x\r\nStep 2/2\n\n");
  split.push("last");
  assertEquals(lines, ["Step 1/2 : FROM x", "Step 2/2", ""]);
  split.flush();
  assertEquals(lines.at(-1), "last");
  assertEquals(split.tail, ["", "last"]);
});

function frame(stream: number, text: string): Uint8Array {
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + body.length);
  out[0] = stream;
  new DataView(out.buffer).setUint32(4, body.length);
  out.set(body, 8);
  return out;
}

Deno.test("demuxBuffer separates stdout and stderr frames in order", () => {
  const data = concatBytes([frame(1, "out1\n"), frame(2, "err1\n"), frame(1, "out2\n")]);
  assertEquals(demuxBuffer(data), { stdout: "out1\nout2\n", stderr: "err1\n" });
  assertEquals(demuxBuffer(new Uint8Array()), { stdout: "", stderr: "" });
});

Deno.test("demuxBuffer keeps a truncated last frame and reads raw TTY output as stdout", () => {
  const cut = frame(2, "partial").subarray(0, 11);
  assertEquals(demuxBuffer(cut), { stdout: "", stderr: "par" });
  assertEquals(demuxBuffer(new TextEncoder().encode("plain tty text")), {
    stdout: "plain tty text",
    stderr: "",
  });
});

import { assert, assertEquals, assertThrows } from "@std/assert";
import { RepocateError } from "../../errors.ts";
import { lineColumn, parseJsonc } from "./jsonc.ts";

const FILE = "/repo/.devcontainer/devcontainer.json";

function faultOf(text: string): string {
  const error = assertThrows(() => parseJsonc(text, FILE), RepocateError);
  assertEquals(error.code, "INPUT_INVALID");
  assert(!error.message.includes("\n"), `one line: ${JSON.stringify(error.message)}`);
  return error.message;
}

Deno.test("JSONC accepts line and block comments and trailing commas", () => {
  const text = `// a dev container
{
  /* the image */
  "image": "debian:12", // pinned
  "forwardPorts": [3000, 8080,],
  "containerEnv": { "A": "1", },
}
`;
  assertEquals(parseJsonc(text, FILE), {
    image: "debian:12",
    forwardPorts: [3000, 8080],
    containerEnv: { A: "1" },
  });
});

Deno.test("JSONC skips a byte-order mark and keeps the last of repeated keys", () => {
  assertEquals(parseJsonc('\uFEFF{"a": 1, "a": 2}', FILE), { a: 2 });
});

Deno.test("JSONC comment markers inside strings are text", () => {
  assertEquals(parseJsonc('{"url": "http://x/*y*/"}', FILE), { url: "http://x/*y*/" });
});

Deno.test("a JSONC fault names the file, line and column", () => {
  assertEquals(
    faultOf('{\n  "image": "debian"\n  "init": true\n}'),
    `${FILE}:3:3: not valid JSONC: comma expected`,
  );
});

Deno.test("an empty JSONC text is a fault at 1:1", () => {
  assertEquals(faultOf(""), `${FILE}:1:1: not valid JSONC: value expected`);
});

Deno.test("an unterminated string is a fault that counts the rest", () => {
  const message = faultOf('{"a": "open');
  assert(message.startsWith(`${FILE}:1:7: not valid JSONC: unexpected end of string`), message);
  assert(message.endsWith("more)"), message);
});

Deno.test("lineColumn counts lines and columns from 1", () => {
  assertEquals(lineColumn("ab\ncd", 0), { line: 1, column: 1 });
  assertEquals(lineColumn("ab\ncd", 4), { line: 2, column: 2 });
});

import { assertEquals, assertThrows } from "@std/assert";
import { parseResponse, ResponseError } from "./http1.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: Uint8Array) => new TextDecoder().decode(body);

Deno.test("a response with Content-Length gives its status, headers and body", () => {
  const response = parseResponse(
    bytes(
      "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n" +
        '{"message":1}trailing',
    ),
  );
  assertEquals(response.status, 404);
  assertEquals(response.headers.get("content-type"), "application/json");
  assertEquals(text(response.body), '{"message":1}');
});

Deno.test("a chunked body is put back together, chunk extensions and trailers ignored", () => {
  const response = parseResponse(
    bytes(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
        "5\r\n[1,2,\r\na;ext=1\r\n3,4,5,6,7]\r\n0\r\nX-Trailer: y\r\n\r\n",
    ),
  );
  assertEquals([response.status, text(response.body)], [200, "[1,2,3,4,5,6,7]"]);
});

Deno.test("without a length the body runs to the end; multi-byte text survives", () => {
  const response = parseResponse(bytes("HTTP/1.0 200 OK\r\n\r\nprêt ✓"));
  assertEquals(text(response.body), "prêt ✓");
});

Deno.test("short or garbled answers are told apart", () => {
  const reason = (raw: string) =>
    assertThrows(() => parseResponse(bytes(raw)), ResponseError).reason;
  assertEquals(reason(""), "truncated");
  assertEquals(reason("HTTP/1.1 200 OK\r\nContent-Length: 3"), "truncated");
  assertEquals(reason("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nab"), "truncated");
  assertEquals(reason("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"), "truncated");
  assertEquals(reason("SSH-2.0-OpenSSH\r\n\r\n"), "malformed");
  assertEquals(reason("HTTP/1.1 200 OK\r\nno colon\r\n\r\n"), "malformed");
  assertEquals(
    reason("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
    "malformed",
  );
});

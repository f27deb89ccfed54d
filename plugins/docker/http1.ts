/**
 * Reads a whole HTTP/1.1 response, as a server sends it before closing the connection, into its
 * status, headers and body (`Content-Length`, chunked, or up to the close). Pure: `native.ts`
 * does the I/O.
 *
 * @module
 */
import { concatBytes } from "./bytes.ts";

/** A parsed response: status code, headers (lower-case names) and the decoded body. */
export interface RawResponse {
  /** The HTTP status code, e.g. 200. */
  status: number;
  /** Header values by lower-case name (a repeated header keeps its last value). */
  headers: Map<string, string>;
  /** The body, with any chunked transfer encoding removed. */
  body: Uint8Array;
}

/** Why a response could not be read: `truncated` (the connection closed early) or `malformed`. */
export class ResponseError extends Error {
  /** `truncated` when more bytes were due, `malformed` when they made no sense. */
  readonly reason: "truncated" | "malformed";

  /** Makes an error for `reason`. */
  constructor(reason: "truncated" | "malformed", message: string) {
    super(message);
    this.name = "ResponseError";
    this.reason = reason;
  }
}

/** Index of the first CRLF at or after `from`, or -1. */
function indexOfCrlf(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 1 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10) return i;
  }
  return -1;
}

const latin1 = new TextDecoder("latin1");

/**
 * Parses `bytes`, everything the server sent. Throws {@link ResponseError} when the head or a
 * chunk is malformed, or when the body is shorter than announced.
 */
export function parseResponse(bytes: Uint8Array): RawResponse {
  let end = -1;
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ResponseError("truncated", "incomplete head");
  const [statusLine, ...lines] = latin1.decode(bytes.subarray(0, end)).split("\r\n");
  const match = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine);
  if (!match) throw new ResponseError("malformed", `bad status line "${statusLine}"`);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new ResponseError("malformed", `bad header line "${line}"`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const rest = bytes.subarray(end + 4);
  const encoding = (headers.get("transfer-encoding") ?? "").toLowerCase();
  let body: Uint8Array;
  if (encoding.split(",").map((s) => s.trim()).includes("chunked")) {
    body = dechunk(rest);
  } else if (headers.has("content-length")) {
    const length = Number(headers.get("content-length"));
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new ResponseError("malformed", "bad Content-Length");
    }
    if (rest.length < length) throw new ResponseError("truncated", "body shorter than announced");
    body = rest.subarray(0, length);
  } else {
    body = rest;
  }
  return { status: Number(match[1]), headers, body };
}

/** Removes chunked transfer encoding; trailers after the last chunk are ignored. */
function dechunk(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = indexOfCrlf(bytes, at);
    if (lineEnd < 0) throw new ResponseError("truncated", "chunk size line cut short");
    const sizeText = latin1.decode(bytes.subarray(at, lineEnd)).split(";")[0].trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) {
      throw new ResponseError("malformed", `bad chunk size "${sizeText}"`);
    }
    const size = parseInt(sizeText, 16);
    if (size === 0) break;
    const start = lineEnd + 2;
    if (start + size + 2 > bytes.length) throw new ResponseError("truncated", "chunk cut short");
    parts.push(bytes.subarray(start, start + size));
    at = start + size + 2;
  }
  return concatBytes(parts);
}

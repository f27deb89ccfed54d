/**
 * The native read path: plain `GET`s to the engine with Deno's own sockets, so that the hot,
 * read-only actions (ping, container list and inspect, image inspect) need not load dockerode.
 *
 * Why not `fetch`: `fetch` through `Deno.createHttpClient({ proxy: { transport: "unix" } })`
 * checks net permission for the URL's host (`docker:80`) besides the socket, a grant the plugin
 * does not have; and a plain `fetch` to a TCP engine would follow `HTTP_PROXY`, which dockerode
 * does not. `Deno.connect` needs exactly what dockerode's connection needs: read, write and net
 * `unix:<path>` on a unix socket, net `host:port` for TCP.
 *
 * It speaks like docker-modem: the same unversioned paths and query encoding, one connection
 * per request, a 10 s limit on the whole exchange. Failures are thrown as the errors
 * docker-modem throws (`code` and `connect ENOENT <path>` style messages for the connection,
 * `statusCode` and `json` for engine answers), so `toPluginError` maps both paths alike.
 * TLS engines are not served here ({@link createNativeClient} returns undefined).
 *
 * @module
 */
import type { EngineAddress } from "./client.ts";
import { concatBytes } from "./bytes.ts";
import { parseResponse, ResponseError } from "./http1.ts";

/** A read-only request, in docker-modem's terms. */
export interface GetRequest {
  /** The path as dockerode builds it, unversioned, e.g. `/containers/web/json`. */
  path: string;
  /** Query options, encoded like docker-modem does: objects as JSON text. */
  query?: Record<string, string | number | boolean | object>;
  /** dockerode's words for this call's error statuses, e.g. `{ 404: "no such container" }`. */
  reasons?: Record<number, string>;
}

/** A client for {@link GetRequest}s; answers are the engine's JSON, parsed. */
export interface NativeClient {
  /** Sends `request`; resolves to the parsed JSON (the raw bytes when not JSON) of a 200. */
  get(request: GetRequest): Promise<unknown>;
}

/** How long one exchange may take (these are quick reads: ping, list, inspect). */
export const REQUEST_TIMEOUT_MS = 10_000;

/** A native client for `address`, or undefined for a TLS engine (dockerode serves those). */
export function createNativeClient(address: EngineAddress): NativeClient | undefined {
  if (address.kind === "tcp" && address.tls) return undefined;
  return { get: (request) => get(address, request) };
}

/**
 * Whether `path` goes on the request line exactly as node's http would send it: printable
 * ASCII without spaces. Other paths (an odd container id) are left to dockerode.
 */
export function isPlainPath(path: string): boolean {
  return /^\/[\x21-\x7e]*$/.test(path);
}

/**
 * A query string as docker-modem makes it (without the `?`): objects as JSON text, then node's
 * `querystring.stringify` (an array repeats its key).
 */
export function encodeQuery(query: Record<string, string | number | boolean | object>): string {
  const pair = (key: string, value: unknown) =>
    `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`;
  return Object.entries(query).map(([key, value]) => {
    if (Array.isArray(value)) return value.map((item) => pair(key, item)).join("&");
    return pair(key, typeof value === "object" && value !== null ? JSON.stringify(value) : value);
  }).join("&");
}

async function get(address: EngineAddress, request: GetRequest): Promise<unknown> {
  const query = encodeQuery(request.query ?? {});
  const target = query === "" ? request.path : `${request.path}?${query}`;
  const host = address.kind === "unix"
    ? "localhost"
    : `${address.host.includes(":") ? `[${address.host}]` : address.host}:${address.port}`;
  const raw = await exchange(
    address,
    `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
  );
  let response;
  try {
    response = parseResponse(raw);
  } catch (error) {
    if (error instanceof ResponseError && error.reason === "truncated") throw hangUp();
    throw Object.assign(new Error(`Parse Error: ${(error as Error).message}`), {
      code: "HPE_INVALID_CONSTANT",
    });
  }
  const text = new TextDecoder().decode(response.body);
  // docker-modem: `utils.parseJSON(result) || buffer`.
  const json = parseJson(text) || response.body;
  if (response.status === 200) return json;
  const cause = json instanceof Uint8Array ? text : json as { message?: unknown; error?: unknown };
  const reason = request.reasons?.[response.status];
  const said = typeof cause === "object" && cause !== null
    ? (cause.message || cause.error || cause)
    : cause;
  throw Object.assign(
    new Error(`(HTTP code ${response.status}) ${reason ?? "unexpected"} - ${said} `),
    { reason, statusCode: response.status, json },
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** What node's http throws when the connection ends (or is cut) before a full answer. */
function hangUp(): Error {
  return Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
}

/** A socket error as node reports it: `connect ECONNREFUSED /run/docker.sock`, with `code`. */
function socketError(error: unknown, syscall: string, target?: string): unknown {
  if (error instanceof Deno.errors.NotCapable) return error;
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string") return error;
  return Object.assign(new Error(`${syscall} ${code}${target ? ` ${target}` : ""}`), { code });
}

/** Connects, sends `request`, and reads until the engine closes the connection. */
async function exchange(address: EngineAddress, request: string): Promise<Uint8Array> {
  const abort = new AbortController();
  let conn: Deno.Conn | undefined;
  const timer = setTimeout(() => {
    abort.abort();
    try {
      conn?.close();
    } catch { /* already closed */ }
  }, REQUEST_TIMEOUT_MS);
  try {
    try {
      conn = address.kind === "unix"
        ? await Deno.connect({ transport: "unix", path: address.socketPath })
        : await Deno.connect({ hostname: address.host, port: address.port, signal: abort.signal });
    } catch (error) {
      if (abort.signal.aborted) throw hangUp();
      throw socketError(
        error,
        "connect",
        address.kind === "unix" ? address.socketPath : `${address.host}:${address.port}`,
      );
    }
    if (abort.signal.aborted) throw hangUp();
    let syscall = "write";
    const chunks: Uint8Array[] = [];
    try {
      let bytes = new TextEncoder().encode(request);
      while (bytes.length > 0) bytes = bytes.subarray(await conn.write(bytes));
      syscall = "read";
      const buffer = new Uint8Array(64 * 1024);
      for (;;) {
        const n = await conn.read(buffer);
        if (n === null) break;
        chunks.push(buffer.slice(0, n));
      }
    } catch (error) {
      if (abort.signal.aborted) throw hangUp();
      throw socketError(error, syscall);
    }
    return concatBytes(chunks);
  } finally {
    clearTimeout(timer);
    try {
      conn?.close();
    } catch { /* closed by the timer */ }
  }
}

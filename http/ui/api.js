/**
 * The dashboard's HTTP client: JSON calls with the bearer token, and an operation's
 * Server-Sent Events read through fetch (EventSource cannot send an Authorization header).
 *
 * @module
 */

const TOKEN_KEY = "repocate.token";

/** Moves a `#token=...` from the address into sessionStorage, and out of the address bar. */
export function adoptTokenFromHash() {
  const match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (!match) return;
  setToken(decodeURIComponent(match[1]));
  history.replaceState(null, "", location.pathname + location.search);
}

/** The stored token, or "". */
export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY) ?? "";
}

/** Stores `token` for this tab; an empty one forgets it. */
export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An error answer of the API (`{error:{code,message}}`) or a failed request. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

function headers(extra = {}) {
  const token = getToken();
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

async function failure(res) {
  const text = await res.text().catch(() => "");
  let error;
  try {
    error = JSON.parse(text)?.error;
  } catch { /* not JSON */ }
  return new ApiError(
    res.status,
    error?.code ?? `HTTP_${res.status}`,
    error?.message ?? (text.trim() || res.statusText || `HTTP ${res.status}`),
  );
}

/** Calls the API; resolves to the parsed JSON body (null when empty), throws {@link ApiError}. */
export async function api(method, path, body) {
  const init = { method, headers: headers({ Accept: "application/json" }) };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (!res.ok) throw await failure(res);
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/**
 * Follows `/v1/operations/:id/events`, calling `onEvent(type, data)` for each event (data parsed
 * as JSON when it is JSON). Stops when `onEvent` returns true, the stream ends, or `signal` aborts.
 */
export async function followEvents(id, onEvent, signal) {
  const res = await fetch(`/v1/operations/${encodeURIComponent(id)}/events`, {
    headers: headers({ Accept: "text/event-stream" }),
    signal,
  });
  if (!res.ok || !res.body) throw await failure(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let type = "message";
  let data = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const lines = buffer.split("\n");
      buffer = lines.pop();
      for (const raw of lines) {
        const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
        if (line === "") {
          if (data.length && onEvent(type, parseData(data.join("\n")))) return;
          type = "message";
          data = [];
        } else if (!line.startsWith(":")) {
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const rest = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "event") type = rest;
          else if (field === "data") data.push(rest);
        }
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

function parseData(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

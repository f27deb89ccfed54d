/**
 * The service's guards, in the order the app runs them:
 *
 * - {@link hostGuard}: on a loopback bind, only requests whose `Host` names a loopback address
 *   are served, so a web page cannot reach the API through DNS rebinding.
 * - {@link originGuard}: a browser request that changes something (any method but GET, HEAD,
 *   OPTIONS) from a foreign `Origin` is refused unless that origin is in `--cors`; without it
 *   any web page could POST to a loopback service that has no token.
 * - {@link bearerAuth}: when a token is set, every request but `/healthz` and the static UI
 *   needs `Authorization: Bearer <token>`, compared in constant time.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { RequestError } from "./errors.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Names of the loopback interface accepted in `Host` on a loopback bind. */
export const LOOPBACK_NAMES: readonly string[] = ["127.0.0.1", "localhost", "::1", "[::1]"];

/** Whether `host` (an address or name to bind) is on the loopback interface. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
}

/** The host part of a `Host` header (`[::1]:8420` → `[::1]`, `a:1` → `a`). */
export function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith("[")) return value.slice(0, value.indexOf("]") + 1);
  return value.replace(/:\d+$/, "");
}

/** Refuses requests whose `Host` is not in `allowed` (when `allowed` is set). */
export function hostGuard(allowed: readonly string[] | null): MiddlewareHandler {
  return async (c, next) => {
    if (allowed) {
      const host = hostName(c.req.header("host") ?? "");
      if (!allowed.includes(host) && !/^127\./.test(host)) {
        throw new RequestError(
          "FORBIDDEN",
          `Host "${host}" is not served here: this service answers loopback names only`,
        );
      }
    }
    await next();
  };
}

/** Refuses state-changing requests from browser origins that are neither this one nor listed. */
export function originGuard(corsOrigins: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin && !SAFE_METHODS.has(c.req.method) && !corsOrigins.includes(origin)) {
      let same = false;
      try {
        same = new URL(origin).host.toLowerCase() === (c.req.header("host") ?? "").toLowerCase();
      } catch { /* an unparsable Origin is foreign */ }
      if (!same) {
        throw new RequestError(
          "FORBIDDEN",
          `requests from origin ${origin} are not allowed; start the server with --cors ${origin}`,
        );
      }
    }
    await next();
  };
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** Compares two secrets in time that depends on neither's content nor length. */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

/** Whether `path` is open without a token: `/healthz` and the static UI (no data in them). */
export function isOpenPath(method: string, path: string): boolean {
  if (path === "/healthz") return true;
  return (method === "GET" || method === "HEAD") && (path === "/" || path.startsWith("/ui/"));
}

/** Requires `Authorization: Bearer <token>` on every path but the open ones; off when null. */
export function bearerAuth(token: string | null): MiddlewareHandler {
  return async (c, next) => {
    if (token !== null && !isOpenPath(c.req.method, c.req.path)) {
      const header = c.req.header("authorization") ?? "";
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match || !(await sameSecret(match[1], token))) {
        throw new RequestError(
          "UNAUTHORIZED",
          match
            ? "wrong bearer token"
            : "this service needs Authorization: Bearer <token> (the token is in the file " +
              "`repocate serve` named when it started)",
        );
      }
    }
    await next();
  };
}

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

/** The headers every response carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
});
const SECURITY_ENTRIES = Object.entries(SECURITY_HEADERS);

/**
 * Sets {@link SECURITY_HEADERS} before the route runs, so they go into the response the route
 * builds through the context (`c.json`, `c.body`, `c.newResponse`), as every route and the
 * error handlers do. (Setting them on the finished response would make Hono copy it around a
 * stream of its body, and touching its headers makes Deno build it again.) A route that makes
 * its own `Response` for speed includes them itself; a test checks every route's answer.
 */
export const securityHeaders: MiddlewareHandler = (c, next) => {
  for (const [name, value] of SECURITY_ENTRIES) c.header(name, value);
  return next();
};

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

/**
 * Refuses requests whose `Host` is not in `allowed` (or a 127.x address). Without a list, the
 * app leaves this guard out.
 */
export function hostGuard(allowed: readonly string[]): MiddlewareHandler {
  // Host values seen and accepted, as sent: most requests repeat one, so the check is a lookup.
  // Bounded, so a client sending many different (accepted) values cannot grow it.
  const accepted = new Set<string>();
  return (c, next) => {
    const header = c.req.header("host") ?? "";
    if (!accepted.has(header)) {
      const host = hostName(header);
      if (!allowed.includes(host) && !/^127\./.test(host)) {
        throw new RequestError(
          "FORBIDDEN",
          `Host "${host}" is not served here: this service answers loopback names only`,
        );
      }
      if (accepted.size < 64) accepted.add(header);
    }
    return next();
  };
}

/** Refuses state-changing requests from browser origins that are neither this one nor listed. */
export function originGuard(corsOrigins: readonly string[]): MiddlewareHandler {
  return (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header("origin");
      if (origin && !corsOrigins.includes(origin)) {
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
    }
    return next();
  };
}

/**
 * A test of candidates against `secret` whose time depends on the candidate's length only:
 * neither on the content of either nor on the secret's length. No allocation, no hashing.
 */
export function secretMatcher(secret: string): (candidate: string) => boolean {
  const n = secret.length;
  return (candidate) => {
    const m = candidate.length;
    let diff = n ^ m;
    for (let i = 0; i < m; i++) diff |= candidate.charCodeAt(i) ^ secret.charCodeAt(i % n);
    return diff === 0;
  };
}

/** Compares two secrets in time that depends on neither's content (see {@link secretMatcher}). */
export function sameSecret(a: string, b: string): boolean {
  return secretMatcher(b)(a);
}

/** Whether `path` is open without a token: `/healthz` and the static UI (no data in them). */
export function isOpenPath(method: string, path: string): boolean {
  if (path === "/healthz") return true;
  return (method === "GET" || method === "HEAD") && (path === "/" || path.startsWith("/ui/"));
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Requires `Authorization: Bearer <token>` on every path but the open ones. Without a token,
 * the app leaves this guard out.
 */
export function bearerAuth(token: string): MiddlewareHandler {
  const matches = secretMatcher(token);
  return (c, next) => {
    if (!isOpenPath(c.req.method, c.req.path)) {
      const match = BEARER.exec(c.req.header("authorization") ?? "");
      if (!match || !matches(match[1])) {
        throw new RequestError(
          "UNAUTHORIZED",
          match
            ? "wrong bearer token"
            : "this service needs Authorization: Bearer <token> (the token is in the file " +
              "`repocate serve` named when it started)",
        );
      }
    }
    return next();
  };
}

/**
 * The HTTP service: the Hono app over repocate's core, and what `repocate serve` needs to run
 * it. See README.md ("Service") for the routes, statuses and auth.
 *
 * @module
 */
export { createApp, DEFAULT_BODY_LIMIT, routeTable, UI_DIR } from "./app.ts";
export type { AppDeps } from "./deps.ts";
export { statusFor } from "./errors.ts";
export { openApiDocument } from "./openapi.ts";
export { Metrics } from "./metrics.ts";
export { isLoopback, LOOPBACK_NAMES } from "./security.ts";
export { loadOrCreateToken } from "./token.ts";

/**
 * The Hono app of `repocate serve`: routes over the same core the CLI uses (core/env/*, the
 * plugin admin functions, the registry), never Docker or git code of its own.
 *
 * Every request passes, in order: metrics, security headers, the Host guard (loopback binds),
 * CORS (only when origins are configured), the Origin guard, bearer auth (when a token is set),
 * the body size limit; then its route. A guard that is off is not in the chain at all. One `onError` turns every failure into
 * `{ error: { code, message } }` with the status {@link statusFor} gives.
 *
 * @module
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { fromFileUrl } from "@std/path";
import type { AppDeps } from "./deps.ts";
import { contextOf } from "./deps.ts";
import { errorHandler, notFoundHandler, RequestError, statusFor } from "./errors.ts";
import { instrumentRegistry, Metrics, metricsMiddleware } from "./metrics.ts";
import { bearerAuth, hostGuard, originGuard, securityHeaders } from "./security.ts";
import { environmentRoutes } from "./routes/environments.ts";
import { operationRoutes } from "./routes/operations.ts";
import { pluginRoutes } from "./routes/plugins.ts";
import { registryRoutes } from "./routes/registry.ts";
import { systemRoutes } from "./routes/system.ts";
import { uiRoutes } from "./routes/ui.ts";

export type { AppDeps } from "./deps.ts";
export { statusFor };

/** The default largest request body: 64 KiB. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** The static UI folder shipped with repocate. */
export const UI_DIR: string = fromFileUrl(new URL("./ui", import.meta.url));

/** Builds the app; nothing listens until it is passed to `Deno.serve`. */
export function createApp(deps: AppDeps): Hono {
  const metrics = deps.metrics ?? new Metrics();
  const ctx = contextOf(deps, metrics, deps.uiDir ?? UI_DIR);
  instrumentRegistry(deps.runtime.registry, metrics);
  const limit = deps.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const origins = deps.corsOrigins ?? [];

  const app = new Hono();
  app.use(metricsMiddleware(metrics));
  app.use(securityHeaders);
  if (deps.allowedHosts) app.use(hostGuard(deps.allowedHosts));
  if (origins.length) {
    app.use(cors({
      origin: origins,
      allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
      allowHeaders: ["Authorization", "Content-Type", "Last-Event-ID"],
      exposeHeaders: ["Location"],
      maxAge: 600,
    }));
  }
  app.use(originGuard(origins));
  if (deps.auth.token !== null) app.use(bearerAuth(deps.auth.token));
  app.use(bodyLimit({
    maxSize: limit,
    onError: () => {
      throw new RequestError(
        "PAYLOAD_TOO_LARGE",
        `request body exceeds the limit of ${limit} bytes`,
      );
    },
  }));

  systemRoutes(app, ctx);
  pluginRoutes(app, ctx);
  registryRoutes(app, ctx);
  environmentRoutes(app, ctx);
  operationRoutes(app, ctx);
  uiRoutes(app, ctx);

  app.onError(errorHandler(ctx.log));
  app.notFound(notFoundHandler);
  return app;
}

/** The app's routes as `METHOD /path` with OpenAPI-style `{params}`, middleware left out. */
export function routeTable(app: Hono): string[] {
  const rows = app.routes
    .filter((r) => r.method !== "ALL")
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}")}`);
  return [...new Set(rows)].sort();
}

/**
 * `/healthz` (never behind auth), `/metrics` (Prometheus text) and `/v1/openapi.json`.
 *
 * Health is `ok` (200) when every enabled plugin of the manifest is loaded and the Docker
 * engine answers `docker.ping`; otherwise `degraded` (503) with what is wrong.
 *
 * @module
 */
import type { Hono } from "hono";
import { messageOf } from "../../errors.ts";
import { listEnvironments } from "../../core/env/environments.ts";
import type { Ctx } from "../deps.ts";
import { openApiDocument } from "../openapi.ts";
import { pluginViews } from "./plugins.ts";

/** How long `/healthz` and `/metrics` wait for Docker. */
export const PROBE_TIMEOUT_MS = 5000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type DockerHealth = { reachable: true; version?: string } | { reachable: false; error: string };

async function dockerHealth(ctx: Ctx): Promise<DockerHealth> {
  if (!ctx.services.has("docker.ping")) {
    return {
      reachable: false,
      error: "no plugin offers docker.ping (is the docker plugin loaded?)",
    };
  }
  try {
    const pong = await withTimeout(ctx.services.ping(), PROBE_TIMEOUT_MS, "the Docker engine");
    return typeof pong.version === "string"
      ? { reachable: true, version: pong.version }
      : { reachable: true };
  } catch (error) {
    return { reachable: false, error: messageOf(error) };
  }
}

function countBy<T>(list: T[], key: (t: T) => string, init: string[] = []) {
  const out: Record<string, number> = Object.fromEntries(init.map((k) => [k, 0]));
  for (const t of list) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return out;
}

/** Registers the system routes on `app`. */
export function systemRoutes(app: Hono, ctx: Ctx): void {
  app.get("/healthz", async (c) => {
    const plugins = pluginViews(ctx.runtime).map((p) => ({
      name: p.name,
      state: p.state,
      ...(p.error ? { error: p.error } : {}),
    }));
    const docker = await dockerHealth(ctx);
    const ok = docker.reachable &&
      plugins.every((p) => p.state === "loaded" || p.state === "disabled");
    return c.json(
      { status: ok ? "ok" : "degraded", core: "ok", plugins, docker },
      ok ? 200 : 503,
    );
  });

  app.get("/metrics", async (c) => {
    let environments: Record<string, number> | null = null;
    try {
      const list = await withTimeout(
        listEnvironments(ctx.services, ctx.settings),
        PROBE_TIMEOUT_MS,
        "the environment listing",
      );
      environments = countBy(list, (e) => e.state);
    } catch { /* Docker is down: the series is left out, /healthz says why */ }
    const text = ctx.metrics.render({
      operations: ctx.operations.counts(),
      plugins: countBy(pluginViews(ctx.runtime), (p) => p.state, [
        "loaded",
        "failed",
        "disabled",
        "unloaded",
      ]),
      environments,
    });
    return c.body(text, 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
  });

  app.get("/v1/openapi.json", (c) => c.json(openApiDocument()));
}

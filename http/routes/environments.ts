/**
 * `/v1/environments`: the lifecycle, through the same core functions as the CLI.
 *
 * Verbs that may run for minutes (create, start with its postStartCommand, rebuild) answer
 * `202 { operation }` at once and run in the operation store; follow them at
 * `/v1/operations/{id}` or its `/events` stream. The quick ones (stop, snapshot, rollback,
 * delete) answer `200` with their result. A verb on an environment that another operation of
 * this server is changing is refused with `409 ENVIRONMENT_BUSY`.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { JsonValue } from "../../interfaces.ts";
import { RepocateError } from "../../errors.ts";
import type { OperationRecord } from "../../core/operations.ts";
import { createEnvironment } from "../../core/env/create.ts";
import type { Environment } from "../../core/env/environments.ts";
import { checkEnvName, ENV_NAME } from "../../core/env/names.ts";
import {
  listSnapshots,
  removeEnvironment,
  rollbackEnvironment,
  snapshotEnvironment,
  startEnvironment,
  stopEnvironment,
} from "../../core/env/operations.ts";
import { rebuildEnvironment } from "../../core/env/rebuild.ts";
import type { Ctx, Listing } from "../deps.ts";
import { check, readBody } from "../validate.ts";
import { SECURITY_HEADERS } from "../security.ts";

const ref = (max: number) => z.string().min(1).max(max);

const createBody = z.strictObject({
  repo: ref(4096),
  name: ref(48).optional(),
  image: ref(512).optional(),
  branch: ref(255).optional(),
});
const rebuildBody = z.strictObject({ image: ref(512).optional() });
const snapshotBody = z.strictObject({ message: ref(1000).optional() });
const rollbackBody = z.strictObject({ snapshot: ref(200) });
const emptyBody = z.strictObject({});
const deleteQuery = z.strictObject({ purge: z.enum(["true", "false", "1", "0"]).optional() });
const logsQuery = z.strictObject({
  tail: z.string().regex(/^\d{1,6}$/, "must be a whole number up to 999999").optional(),
});

const asJson = (value: unknown) => value as JsonValue;

/** Answers 202 with an operation and where to follow it. */
function accepted(c: Context, operation: OperationRecord): Response {
  return c.json({ operation }, 202, { Location: `/v1/operations/${operation.id}` });
}

/**
 * Whether an `If-None-Match` value names `etag`: `*`, or a list of tags compared weakly (a
 * `W/` prefix ignored), as RFC 9110 asks for GET.
 */
export function noneMatchHits(header: string, etag: string): boolean {
  if (header === etag) return true;
  for (const part of header.split(",")) {
    const tag = part.trim();
    if (tag === "*" || tag === etag || (tag.startsWith("W/") && tag.slice(2) === etag)) {
      return true;
    }
  }
  return false;
}

/**
 * Answers listings: `304` when the client's `If-None-Match` names the tag, else the text.
 *
 * Unless CORS is on (`direct` false), a tagged listing's answer is made directly as a
 * `Response` from header records kept per tag, the security headers included, because Hono
 * would build a `Headers` object per request, and Deno sends a `Response` made from a record
 * faster. With CORS on, the answer goes through the context, which carries its headers.
 */
function listingAnswerer(direct: boolean): (c: Context, listing: Listing) => Response {
  type Headers = Record<string, string>;
  /** The headers of a 304 and a 200 answer for one tag. */
  let kept: { etag: string; notModified: Headers; ok: Headers } | null = null;
  return (c, listing) => {
    const { etag } = listing;
    if (etag === null) return c.body(listing.json, 200, { "Content-Type": "application/json" });
    if (kept?.etag !== etag) {
      // No freshness is given (no Cache-Control, no Last-Modified): a client that keeps the
      // list revalidates it with If-None-Match before each use.
      const notModified = { ...(direct ? SECURITY_HEADERS : {}), ETag: etag };
      kept = { etag, notModified, ok: { ...notModified, "Content-Type": "application/json" } };
    }
    const noneMatch = c.req.header("if-none-match");
    if (noneMatch !== undefined && noneMatchHits(noneMatch, etag)) {
      return direct
        ? new Response(null, { status: 304, headers: kept.notModified })
        : c.body(null, 304, kept.notModified);
    }
    return direct
      ? new Response(listing.json, { headers: kept.ok })
      : c.body(listing.json, 200, kept.ok);
  };
}

/** Registers the environment routes on `app`. */
export function environmentRoutes(app: Hono, ctx: Ctx): void {
  const { services, settings, operations } = ctx;

  /** The environment named exactly `name`, or 404. */
  const find = async (name: string): Promise<Environment> => {
    const env = ENV_NAME.test(name)
      ? (await ctx.environments()).find((e) => e.name === name)
      : undefined;
    if (!env) {
      throw new RepocateError("ENVIRONMENT_NOT_FOUND", `no environment "${name}"`);
    }
    return env;
  };

  /** Refuses when an operation of this server is changing `name`. */
  const notBusy = (name: string) => {
    const busy = operations.list().find((o) =>
      o.target === name && (o.state === "running" || o.state === "queued")
    );
    if (busy) {
      throw new RepocateError(
        "ENVIRONMENT_BUSY",
        `environment "${name}" is being changed by operation ${busy.id} (${busy.kind}); ` +
          `wait for it to finish`,
      );
    }
  };

  // The hot path: the live view keeps the list's JSON text and tag, so a request that finds
  // them fresh is answered at once, without serializing or awaiting anything.
  const answerListing = listingAnswerer(!ctx.cors);
  app.get("/v1/environments", (c): Response | Promise<Response> => {
    const listing = ctx.listing();
    return "json" in listing ? answerListing(c, listing) : listing.then((l) => answerListing(c, l));
  });

  app.post("/v1/environments", async (c) => {
    const body = await readBody(c, createBody);
    if (body.name !== undefined) {
      checkEnvName(body.name);
      notBusy(body.name);
      if ((await ctx.environments()).some((e) => e.name === body.name)) {
        throw new RepocateError("NAME_CONFLICT", `environment "${body.name}" already exists`);
      }
    }
    // Creates of one repository (or name) run one after another, so the later one finds the
    // environment the earlier made and fails cleanly, instead of racing it.
    const op = operations.start(
      "environment.create",
      body.name ?? body.repo,
      (progress) =>
        ctx.changing(async () =>
          asJson(await createEnvironment(services, settings, body, progress))
        ),
      { lanes: [`repo:${body.repo}`, ...(body.name ? [`env:${body.name}`] : [])] },
    );
    return accepted(c, op);
  });

  app.get("/v1/environments/:name", async (c) => {
    return c.json(await find(c.req.param("name")));
  });

  app.get("/v1/environments/:name/snapshots", async (c) => {
    const env = await find(c.req.param("name"));
    return c.json(await listSnapshots(services, settings, env.name));
  });

  app.get("/v1/environments/:name/logs", async (c) => {
    const { tail } = check(logsQuery, c.req.query(), "query");
    const env = await find(c.req.param("name"));
    if (!env.containerId) {
      throw new RepocateError(
        "USAGE",
        `environment "${env.name}" has no container to show logs of`,
      );
    }
    const logs = await ctx.runtime.registry.invoke("docker.container.logs", {
      id: env.containerId,
      ...(tail === undefined ? {} : { tail: Number(tail) }),
    });
    return c.json(logs);
  });

  app.post("/v1/environments/:name/start", async (c) => {
    await readBody(c, emptyBody);
    const env = await find(c.req.param("name"));
    notBusy(env.name);
    return accepted(
      c,
      operations.start(
        "environment.start",
        env.name,
        (progress) =>
          ctx.changing(async () =>
            asJson(await startEnvironment(services, settings, env.name, progress))
          ),
        { lanes: [`env:${env.name}`] },
      ),
    );
  });

  app.post("/v1/environments/:name/rebuild", async (c) => {
    const body = await readBody(c, rebuildBody);
    const env = await find(c.req.param("name"));
    notBusy(env.name);
    return accepted(
      c,
      operations.start(
        "environment.rebuild",
        env.name,
        (progress) =>
          ctx.changing(async () =>
            asJson(await rebuildEnvironment(services, settings, env.name, body, progress))
          ),
        { lanes: [`env:${env.name}`] },
      ),
    );
  });

  app.post("/v1/environments/:name/stop", async (c) => {
    await readBody(c, emptyBody);
    const env = await find(c.req.param("name"));
    notBusy(env.name);
    return c.json(await ctx.changing(() => stopEnvironment(services, settings, env.name)));
  });

  app.post("/v1/environments/:name/snapshot", async (c) => {
    const body = await readBody(c, snapshotBody);
    const env = await find(c.req.param("name"));
    const message = body.message ?? "snapshot via the API";
    return c.json(await snapshotEnvironment(services, settings, env.name, message));
  });

  app.post("/v1/environments/:name/rollback", async (c) => {
    const body = await readBody(c, rollbackBody);
    const env = await find(c.req.param("name"));
    notBusy(env.name);
    return c.json(
      await ctx.changing(() => rollbackEnvironment(services, settings, env.name, body.snapshot)),
    );
  });

  app.delete("/v1/environments/:name", async (c) => {
    const { purge } = check(deleteQuery, c.req.query(), "query");
    const env = await find(c.req.param("name"));
    notBusy(env.name);
    const removed = await ctx.changing(() =>
      removeEnvironment(services, settings, env.name, {
        purge: purge === "true" || purge === "1",
      }, () => {})
    );
    return c.json(removed);
  });
}

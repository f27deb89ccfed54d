/**
 * `/v1/items` and `/v1/actions`: what the plugins registered, and invoking an action with the
 * request body as its input (validated by the registry against the action's schema, exactly as
 * `repocate run` does). A plugin that throws fails the call with `ACTION_FAILED` naming it;
 * the service and the other plugins keep running.
 *
 * @module
 */
import type { Hono } from "hono";
import { z } from "zod";
import { ITEM_KIND } from "../../registry/mod.ts";
import type { Ctx } from "../deps.ts";
import { check, readJson } from "../validate.ts";

const itemsQuery = z.strictObject({
  kind: z.union([z.literal(""), z.string().regex(ITEM_KIND, "not an item kind")]).optional(),
});

/** Registers the registry routes on `app`. */
export function registryRoutes(app: Hono, ctx: Ctx): void {
  const { registry } = ctx.runtime;

  app.get("/v1/items", (c) => {
    const { kind } = check(itemsQuery, c.req.query(), "query");
    return c.json(registry.listItems(kind || undefined));
  });

  app.get("/v1/actions", (c) => c.json(registry.listActions()));

  app.post("/v1/actions/:name/invoke", async (c) => {
    const input = await readJson(c);
    const progress: { at: string; message: string }[] = [];
    const result = await registry.invoke(c.req.param("name"), input, {
      onProgress: (message) => progress.push({ at: new Date().toISOString(), message }),
    });
    return c.json({ result, progress });
  });
}

/**
 * The static web UI: `http/ui/index.html` at `/`, and any file under `http/ui/` at `/ui/<path>`.
 * Paths that leave the folder, or name hidden files, are not served.
 *
 * Needs: `read` on the UI folder (repocate's own folder, which the launcher grants).
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { extname, join, resolve } from "@std/path";
import { RequestError } from "../errors.ts";
import type { Ctx } from "../deps.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

async function sendFile(c: Context, root: string, relative: string): Promise<Response> {
  const parts = relative.split("/");
  const full = resolve(join(root, relative));
  const inside = full.startsWith(resolve(root) + "/");
  if (!inside || parts.some((p) => p === "" || p.startsWith(".") || p.includes("\0"))) {
    throw new RequestError("NOT_FOUND", `no UI file "${relative}"`);
  }
  let body: Uint8Array;
  try {
    body = await Deno.readFile(full);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.IsADirectory) {
      throw new RequestError("NOT_FOUND", `no UI file "${relative}"`);
    }
    throw error;
  }
  return c.body(body as Uint8Array<ArrayBuffer>, 200, {
    "Content-Type": TYPES[extname(full).toLowerCase()] ?? "application/octet-stream",
    "Cache-Control": "no-cache",
  });
}

/** Registers the UI routes on `app`. */
export function uiRoutes(app: Hono, ctx: Ctx): void {
  app.get("/", (c) => sendFile(c, ctx.uiDir, "index.html"));
  app.get("/ui/:path{.+}", (c) => sendFile(c, ctx.uiDir, c.req.param("path")));
}

/**
 * A static file server on 127.0.0.1 for tests that load remote plugins: serves a folder with
 * the content types Deno expects for modules, and counts requests per path.
 *
 * @module
 */
import { extname, join, normalize } from "@std/path";

const TYPES: Record<string, string> = {
  ".ts": "application/typescript; charset=utf-8",
  ".js": "application/javascript; charset=utf-8",
  ".json": "application/json",
};

/** A running file server. */
export interface FileServer {
  /** Base URL ending in `/`, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** Requests served, by path. */
  hits: Map<string, number>;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Serves `root` on a free 127.0.0.1 port. */
export function serveDir(root: string): FileServer {
  const hits = new Map<string, number>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = normalize(decodeURIComponent(new URL(req.url).pathname));
    if (path.includes("..")) return new Response("bad path", { status: 400 });
    hits.set(path, (hits.get(path) ?? 0) + 1);
    try {
      const body = await Deno.readFile(join(root, path));
      return new Response(body, {
        headers: { "content-type": TYPES[extname(path)] ?? "application/octet-stream" },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  const { port } = server.addr as Deno.NetAddr;
  return { url: `http://127.0.0.1:${port}/`, hits, close: () => server.shutdown() };
}

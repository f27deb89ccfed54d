/**
 * A small stand-in for `repocate serve`, for developing the dashboard and for the browser test
 * of paths the real server makes hard to reach (a required token, risky plugin grants). It keeps
 * environments in memory, answers the API contract of http/, and serves http/ui.
 *
 * Run it by hand: `deno run --allow-net --allow-read tests/browser/_mock_server.ts [port] [token]`.
 *
 * Needs: `net` for 127.0.0.1, `read` of http/ui.
 *
 * @module
 */
import { extname, fromFileUrl, join } from "@std/path";

const UI = fromFileUrl(new URL("../../http/ui/", import.meta.url));
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

type Env = Record<string, unknown> & { name: string; state: string };
type Event = { type: "progress" | "done" | "failed"; data: unknown };

/** A running mock. */
export interface MockServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Stops it. */
  close(): Promise<void>;
}

/** Plugins as `GET /v1/plugins` returns them: one of each state, with risky grants. */
export const MOCK_PLUGINS = [
  {
    name: "docker",
    version: "0.1.0",
    source: "./plugins/docker/mod.ts",
    kind: "builtin",
    state: "loaded",
    warnings: [],
    actions: ["docker.run"],
    permissions: {
      read: ["/var/run/docker.sock"],
      write: ["/var/run/docker.sock"],
      net: ["127.0.0.1:0"],
      env: ["DOCKER_HOST"],
      run: false,
      sys: false,
      ffi: false,
      import: false,
    },
  },
  {
    name: "broken",
    version: null,
    source: "https://plugins.example.org/broken@1.0.0/mod.ts",
    kind: "remote",
    state: "failed",
    error: { code: "PLUGIN_LOAD_FAILED", message: "initialize threw: no config" },
    warnings: [],
    actions: [],
    permissions: { read: true, ffi: ["/lib/x.so"], run: false, write: false },
  },
];

const json = (body: unknown, status = 200) => Response.json(body, { status });
const fail = (status: number, code: string, message: string) =>
  json({ error: { code, message } }, status);

/** Starts the mock on 127.0.0.1 (port 0: any free one); requires `token` when given. */
export function startMockServer(port = 0, token?: string): Promise<MockServer> {
  const envs = new Map<string, Env>();
  const ops = new Map<string, { events: Event[]; listeners: Set<(e: Event) => void> }>();

  function operation(kind: string, target: string, steps: string[], end: () => Event): Response {
    const id = crypto.randomUUID();
    const op = { events: [] as Event[], listeners: new Set<(e: Event) => void>() };
    ops.set(id, op);
    const emit = (e: Event) => (op.events.push(e), op.listeners.forEach((l) => l(e)));
    (async () => {
      for (const message of steps) {
        await new Promise((r) => setTimeout(r, 150));
        emit({ type: "progress", data: { message, at: new Date().toISOString() } });
      }
      emit(end());
    })();
    return json({ operation: { id, kind, target, state: "running" } }, 202);
  }

  function events(id: string): Response {
    const op = ops.get(id);
    if (!op) return fail(404, "NOT_FOUND", `no operation ${id}`);
    const enc = new TextEncoder();
    let listener: (e: Event) => void;
    const body = new ReadableStream<Uint8Array>({
      start(ctl) {
        listener = (e) => {
          ctl.enqueue(enc.encode(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`));
          if (e.type !== "progress") ctl.close();
        };
        op.events.forEach(listener);
        if (op.events.at(-1)?.type === "progress" || !op.events.length) op.listeners.add(listener);
      },
      cancel: () => void op.listeners.delete(listener),
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  }

  function create(body: { repo?: string; name?: string; image?: string }): Response {
    if (!body.repo) return fail(400, "INPUT_INVALID", "repo: required");
    const name = body.name ?? body.repo.split("/").filter(Boolean).pop()!.replace(/\.git$/, "");
    const steps = [`cloning ${body.repo}`, "resolving the configuration", "starting the container"];
    if (body.repo.includes("missing")) {
      return operation("environment.create", name, steps.slice(0, 1), () => ({
        type: "failed",
        data: { error: { code: "ACTION_FAILED", message: `git clone ${body.repo}: not found` } },
      }));
    }
    return operation("environment.create", name, steps, () => {
      const env: Env = {
        name,
        repo: body.repo!,
        workspace: `/home/dev/.repocate/workspaces/${name}`,
        workspaceFolder: `/workspaces/${name}`,
        state: "running",
        containerId: crypto.randomUUID().replaceAll("-", ""),
        image: body.image ?? "repocate-test/busybox:latest",
        ports: [{ container: 8000, host: 49153 }],
        remoteUser: "dev",
        configHash: "0123456789ab",
        createdAt: new Date().toISOString(),
      };
      envs.set(name, env);
      return { type: "done", data: { result: env } };
    });
  }

  async function api(req: Request, path: string): Promise<Response> {
    if (token && req.headers.get("authorization") !== `Bearer ${token}`) {
      return fail(401, "UNAUTHORIZED", "a bearer token is required");
    }
    if (path === "/v1/plugins") return json(MOCK_PLUGINS);
    if (path === "/v1/environments") {
      if (req.method === "POST") return create(await req.json());
      return json([...envs.values()]);
    }
    const ev = /^\/v1\/operations\/([^/]+)\/events$/.exec(path);
    if (ev) return events(ev[1]);
    const m = /^\/v1\/environments\/([^/]+)(?:\/(start|stop|rebuild))?$/.exec(path);
    const env = m && envs.get(decodeURIComponent(m[1]));
    if (!m || !env) return fail(404, "NOT_FOUND", `no such route or environment: ${path}`);
    if (req.method === "DELETE") {
      envs.delete(env.name);
      return json({ removed: env.name });
    }
    const state = m[2] === "stop" ? "exited" : "running";
    return operation(`environment.${m[2]}`, env.name, [`${m[2]}ping ${env.name}`], () => {
      env.state = state;
      return { type: "done", data: { result: env } };
    });
  }

  async function handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    if (path.startsWith("/v1/")) return api(req, path);
    const file = path === "/" ? "index.html" : path.replace(/^\/ui\//, "");
    if (file.includes("..") || !(extname(file) in TYPES)) return fail(404, "NOT_FOUND", path);
    try {
      const text = await Deno.readFile(join(UI, file));
      return new Response(text, { headers: { "content-type": TYPES[extname(file)] } });
    } catch {
      return fail(404, "NOT_FOUND", path);
    }
  }

  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port,
      onListen: ({ port }) =>
        resolve({ url: `http://127.0.0.1:${port}`, close: () => server.shutdown() }),
    }, handle);
  });
}

if (import.meta.main) {
  const mock = await startMockServer(Number(Deno.args[0] ?? 8080), Deno.args[1]);
  console.error(`listening on ${mock.url}`);
}

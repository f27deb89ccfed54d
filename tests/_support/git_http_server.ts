/**
 * Serves bare repositories over git's smart HTTP protocol on 127.0.0.1, for tests: `Deno.serve`
 * runs `git http-backend` as a CGI program per request, streaming the request body to its stdin
 * and its stdout (CGI headers, then the body) back.
 *
 * `GET {url}/<repo>.git/info/refs?service=git-upload-pack` and friends reach the repository
 * `<root>/<repo>.git`; with `auth`, the same repositories are also served under `{authUrl}/…`
 * only to requests carrying the right basic-auth credentials (401 otherwise).
 *
 * Needs: `net` on 127.0.0.1, `run` for `git`, `read` on the root, `env` for `PATH`.
 *
 * @module
 */

/** Options of {@link serveGitHttp}. */
export interface GitHttpServerOptions {
  /** Directory holding the bare repositories (`GIT_PROJECT_ROOT`). */
  root: string;
  /** Basic-auth credentials required under the `/private` prefix. */
  auth?: { user: string; password: string };
  /** Port to listen on (default 0: any free port). */
  port?: number;
}

/** A running server. */
export interface GitHttpServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`; repositories are at `{url}/<name>.git`. */
  readonly url: string;
  /** Base URL of the basic-auth-protected copy (`{url}/private`), when `auth` was given. */
  readonly authUrl?: string;
  /** Requests served so far, as `METHOD /path?query status`. */
  readonly requests: string[];
  /** Stops listening and waits for running backends to finish. */
  close(): Promise<void>;
}

const PRIVATE = "/private";

/** Starts the server; resolves once it listens. */
export async function serveGitHttp(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const running = new Set<Promise<unknown>>();
  const requests: string[] = [];
  const listening = Promise.withResolvers<number>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: options.port ?? 0,
    onListen: ({ port }) => listening.resolve(port),
  }, async (request) => {
    const response = await handle(request, options, running);
    const url = new URL(request.url);
    requests.push(`${request.method} ${url.pathname}${url.search} ${response.status}`);
    return response;
  });
  const port = await listening.promise;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    authUrl: options.auth ? `${url}${PRIVATE}` : undefined,
    requests,
    async close() {
      await server.shutdown();
      await Promise.allSettled([...running]);
    },
  };
}

async function handle(
  request: Request,
  options: GitHttpServerOptions,
  running: Set<Promise<unknown>>,
): Promise<Response> {
  const url = new URL(request.url);
  let pathInfo = decodeURIComponent(url.pathname);
  let remoteUser = "";
  if (pathInfo === PRIVATE || pathInfo.startsWith(`${PRIVATE}/`)) {
    const auth = options.auth;
    const expected = auth ? `Basic ${btoa(`${auth.user}:${auth.password}`)}` : undefined;
    if (!expected || request.headers.get("authorization") !== expected) {
      await request.body?.cancel();
      return new Response("authentication required\n", {
        status: 401,
        headers: { "www-authenticate": 'Basic realm="git"' },
      });
    }
    remoteUser = auth!.user;
    pathInfo = pathInfo.slice(PRIVATE.length) || "/";
  }
  const header = (name: string) => request.headers.get(name) ?? "";
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    GIT_PROJECT_ROOT: options.root,
    GIT_HTTP_EXPORT_ALL: "1",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    REQUEST_METHOD: request.method,
    QUERY_STRING: url.search.slice(1),
    PATH_INFO: pathInfo,
    CONTENT_TYPE: header("content-type"),
    REMOTE_ADDR: "127.0.0.1",
    SERVER_PROTOCOL: "HTTP/1.1",
    GIT_PROTOCOL: header("git-protocol"),
    HTTP_CONTENT_ENCODING: header("content-encoding"),
    ...(remoteUser ? { REMOTE_USER: remoteUser, AUTH_TYPE: "Basic" } : {}),
    ...(request.headers.has("content-length") ? { CONTENT_LENGTH: header("content-length") } : {}),
  };
  const child = new Deno.Command("git", {
    args: ["http-backend"],
    env,
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const feed = request.body
    ? request.body.pipeTo(child.stdin).catch(() => {})
    : child.stdin.close();
  const stderr = new Response(child.stderr).text();
  const done = Promise.all([feed, stderr, child.status]);
  running.add(done);
  done.finally(() => running.delete(done));
  return await cgiResponse(child.stdout);
}

/** Reads CGI headers from `stdout` and streams the rest as the response body. */
async function cgiResponse(stdout: ReadableStream<Uint8Array>): Promise<Response> {
  const reader = stdout.getReader();
  let buffer: Uint8Array = new Uint8Array(0);
  let end = -1;
  let sepLength = 0;
  while (end < 0) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer = concat(buffer, value);
    [end, sepLength] = headerEnd(buffer);
  }
  if (end < 0) {
    reader.releaseLock();
    await stdout.cancel();
    return new Response("bad gateway: no CGI headers\n", { status: 502 });
  }
  const headerText = new TextDecoder().decode(buffer.subarray(0, end));
  const rest = buffer.subarray(end + sepLength);
  const headers = new Headers();
  let status = 200;
  let statusText = "OK";
  for (const line of headerText.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") {
      status = Number(value.slice(0, 3));
      statusText = value.slice(4) || statusText;
    } else headers.append(name, value);
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (rest.length) controller.enqueue(rest);
    },
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  const noBody = status === 204 || status === 304;
  if (noBody) await body.cancel();
  return new Response(noBody ? null : body, { status, statusText, headers });
}

function headerEnd(buffer: Uint8Array): [number, number] {
  for (let i = 0; i < buffer.length - 1; i++) {
    if (buffer[i] === 10 && buffer[i + 1] === 10) return [i, 2];
    if (buffer[i] === 13 && buffer[i + 1] === 10 && buffer[i + 2] === 13 && buffer[i + 3] === 10) {
      return [i, 4];
    }
  }
  return [-1, 0];
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

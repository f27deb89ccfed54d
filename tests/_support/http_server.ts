/**
 * A real `repocate serve` for tests: started through launch.ts (so the host's flags, the listen
 * grant included, are derived as in production) in a temporary folder with repocate's own
 * plugins (a sandboxed manifest, `REPOCATE_HOME` inside the folder, the busybox test image as
 * default) against the test dockerd. `stop` ends the server with SIGTERM and removes every
 * container, volume and image of environments under its home, even when the test failed.
 *
 * Needs: `run` for deno and docker, `read`/`write` on the temporary folder, `net` to 127.0.0.1.
 *
 * @module
 */
import { assert } from "@std/assert";
import { join } from "@std/path";
import { BUSYBOX_IMAGE } from "./docker_engine.ts";
import { sandboxManifest } from "./lifecycle.ts";
import { launcherArgs } from "./launcher.ts";

/** A running server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The temporary folder (manifest, home, repos, cache). */
  dir: string;
  /** `REPOCATE_HOME` of the server. */
  home: string;
  /** The sandboxed manifest. */
  manifestFile: string;
  /** A folder for fixture repositories. */
  repos: string;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** `fetch(url + path)`, with `Authorization: Bearer <token>` when `token` is given. */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /** Stops the server (SIGTERM) and removes what it made; its exit status, null when killed. */
  stop(): Promise<Deno.CommandStatus | null>;
}

/** Options of {@link startServer}. */
export interface StartOptions {
  /** Extra `serve` options, e.g. `["--host", "0.0.0.0"]`. */
  args?: string[];
}

/** Starts `repocate serve --port 0` in a fresh sandbox; rejects with its stderr if it fails. */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "repocate-http-" }));
  const home = join(dir, "home");
  const repos = join(dir, "repos");
  await Deno.mkdir(repos, { recursive: true });
  const manifestFile = await sandboxManifest(dir, home);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      ...launcherArgs(),
      "--manifest",
      manifestFile,
      "--no-check",
      "serve",
      "--port",
      "0",
      ...(options.args ?? []),
    ],
    cwd: dir,
    env: {
      REPOCATE_HOME: home,
      REPOCATE_DEFAULT_IMAGE: BUSYBOX_IMAGE,
      REPOCATE_CACHE_DIR: join(dir, "cache"),
      NO_COLOR: "1",
    },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let log = "";
  let onLine: (() => void) | undefined;
  const reading = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      log += chunk;
      onLine?.();
    }
  })();
  let stopping: Promise<Deno.CommandStatus | null> | undefined;
  const stop = () =>
    stopping ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }, 30_000);
      const status = await child.status;
      clearTimeout(timer);
      await reading.catch(() => {});
      await removeDockerObjects(home);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      return killed ? null : status;
    })();
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no `listening on` line in 90 s")), 90_000);
      const check = () => {
        const match = /listening on http:\/\/[^\s]+:(\d+)/.exec(log);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      onLine = check;
      check();
      child.status.then((s) => {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${s.code}`));
      });
    });
    onLine = undefined;
    const url = `http://127.0.0.1:${port}`;
    return {
      url,
      dir,
      home,
      manifestFile,
      repos,
      stderr: () => log,
      request: (path, init = {}) => {
        const { token, ...rest } = init;
        const headers = new Headers(rest.headers);
        if (token !== undefined) headers.set("Authorization", `Bearer ${token}`);
        return fetch(url + path, { ...rest, headers });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`repocate serve did not start: ${error}\n${log}`);
  }
}

/** Runs `fn` with a started server; always stops it and removes what it made. */
export async function withServer(
  fn: (server: TestServer) => Promise<void>,
  options: StartOptions = {},
): Promise<void> {
  const server = await startServer(options);
  try {
    await fn(server);
  } catch (error) {
    console.error(`--- repocate serve stderr ---\n${server.stderr()}`);
    throw error;
  } finally {
    await server.stop();
  }
}

async function docker(...args: string[]): Promise<string> {
  const out = await new Deno.Command("docker", { args, stdout: "piped", stderr: "null" }).output();
  return new TextDecoder().decode(out.stdout);
}

/** Removes containers, home volumes and built images of the environments under `home`. */
export async function removeDockerObjects(home: string): Promise<void> {
  const prefix = join(home, "workspaces") + "/";
  const rows = await docker(
    "ps",
    "-a",
    "--filter",
    "label=dev.repocate.managed=true",
    "--format",
    '{{.ID}}\t{{.Image}}\t{{.Label "dev.repocate.workspace"}}\t{{.Label "dev.repocate.name"}}',
  );
  const names = new Set<string>();
  const images = new Set<string>();
  for (const row of rows.split("\n").filter(Boolean)) {
    const [id, image, workspace, name] = row.split("\t");
    if (!workspace.startsWith(prefix)) continue;
    names.add(name);
    if (image.startsWith("repocate/")) images.add(image);
    await docker("rm", "-f", id);
  }
  try {
    for await (const entry of Deno.readDir(join(home, "workspaces"))) names.add(entry.name);
  } catch { /* nothing was cloned */ }
  for (const name of names) await docker("volume", "rm", "-f", `repocate-${name}-home`);
  for (const image of images) await docker("rmi", "-f", image);
}

/** One parsed Server-Sent Event. */
export interface SseEvent {
  /** `event:` field. */
  event: string;
  /** `id:` field. */
  id?: string;
  /** `data:` parsed as JSON. */
  data: Record<string, unknown>;
}

/** Reads an event stream to its end (or `timeoutMs`); returns the events. */
export async function readEvents(res: Response, timeoutMs = 120_000): Promise<SseEvent[]> {
  assert(res.body, "an event stream has a body");
  const timer = setTimeout(() => res.body?.cancel().catch(() => {}), timeoutMs);
  let text = "";
  try {
    for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) text += chunk;
  } catch {
    /* cancelled by the timeout */
  } finally {
    clearTimeout(timer);
  }
  return text.split("\n\n").filter((b) => b.trim() && !b.startsWith(":")).map((block) => {
    const fields = new Map<string, string>();
    for (const line of block.split("\n")) {
      const at = line.indexOf(":");
      if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1).trimStart());
    }
    return {
      event: fields.get("event") ?? "message",
      id: fields.get("id"),
      data: JSON.parse(fields.get("data") ?? "null"),
    };
  });
}

/** Asserts `text` (an error body) carries no stack trace or source location. */
export function assertNoStack(text: string): void {
  assert(!/\n\s+at\s|\bat .+\.(ts|js):\d+:\d+/.test(text), `stack trace in: ${text}`);
}

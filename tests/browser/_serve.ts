/**
 * Runs the real `repocate serve` for browser tests: `deno run -A launch.ts --manifest <file>
 * --no-check serve --host 127.0.0.1 --port 0` with the environment given, waits for its
 * `listening on http://HOST:PORT` line on stderr, and keeps the rest of stderr for failures.
 *
 * Needs: `run` for deno, `read` of repocate's folder, `env`.
 *
 * @module
 */
import { fromFileUrl, join } from "@std/path";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));

/** A running server. */
export interface Served {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Everything it wrote to stderr so far. */
  log(): string;
  /** Sends SIGTERM (SIGKILL after 15 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts the server on `manifest` with `env` added to the test's own environment. */
export async function serve(
  manifest: string,
  env: Record<string, string>,
  extraArgs: string[] = [],
): Promise<Served> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      join(ROOT, "launch.ts"),
      "--manifest",
      manifest,
      "--no-check",
      "serve",
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      ...extraArgs,
    ],
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let text = "";
  const url = Promise.withResolvers<string>();
  const pump = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      const match = /listening on (http:\/\/[^\s]+)/.exec(text);
      if (match) url.resolve(match[1].replace(/\/$/, ""));
    }
  })();
  let exited = false;
  const status = child.status.then((s) => (exited = true, s));
  async function stop(): Promise<void> {
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => !exited && child.kill("SIGKILL"), 15_000);
      await status;
      clearTimeout(timer);
    }
    await pump.catch(() => {});
  }
  const late = Promise.withResolvers<string>();
  const timer = setTimeout(() => late.resolve("no answer within 120 s"), 120_000);
  const exit = status.then((s) => `exited with ${s.code}`);
  const first = await Promise.race([url.promise, exit, late.promise]);
  clearTimeout(timer);
  if (!first.startsWith("http://")) {
    await stop();
    throw new Error(`repocate serve did not start (${first}); stderr:\n${text}`);
  }
  return { url: first, log: () => text, stop };
}

/**
 * `repocate serve`: the HTTP API and web UI over the same runtime and core as the other
 * commands, on Deno.serve.
 *
 * It binds 127.0.0.1 by default. Binding any other address requires a bearer token: the one
 * in `--token-file`, else `$REPOCATE_HOME/token`, created on first start (32 random bytes as
 * hex, mode 0600). `--token-file` also turns auth on for a loopback bind. The file's path is
 * printed, never the token. SIGINT or SIGTERM stop it gracefully: no new connections, event
 * streams end, running operations get a grace period, then the plugins are unloaded.
 *
 * Needs: `net` for the listen address (the launcher grants it from these options).
 *
 * @module
 */
import type { Command } from "commander";
import { join, resolve } from "@std/path";
import { RepocateError } from "../errors.ts";
import { openRuntime } from "../core/runtime.ts";
import { OperationStore } from "../core/operations.ts";
import { EnvironmentView } from "../core/env/view.ts";
import { Services } from "../core/env/services.ts";
import { envSettings } from "../core/env/settings.ts";
/** The HTTP layer, loaded only when `serve` runs, so other commands start without Hono. */
const loadHttp = () => import("../http/mod.ts");
import { err, type GlobalOptions, runtimeOptions } from "./context.ts";

/** The default port of `repocate serve`. */
export const DEFAULT_PORT = 8420;

/** How long shutdown waits for running operations before unloading plugins. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** The options of `serve`. */
export interface ServeOptions {
  /** Address to bind. */
  host: string;
  /** Port; 0 picks a free one. */
  port: string;
  /** Token file (turns auth on). */
  tokenFile?: string;
  /** Allowed browser origins. */
  cors?: string[];
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new RepocateError("USAGE", `--port must be a number from 0 to 65535, not "${text}"`);
  }
  return port;
}

function checkOrigins(origins: string[]): string[] {
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch { /* reported below */ }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== origin) {
      throw new RepocateError(
        "USAGE",
        `--cors takes origins like http://localhost:5173 (scheme, host, port; no path), not "${origin}"`,
      );
    }
  }
  return origins;
}

/** Decides whether auth is on and with which token; prints where the token is. */
async function authFor(options: ServeOptions): Promise<{ token: string | null }> {
  const { isLoopback, loadOrCreateToken } = await loadHttp();
  const loopback = isLoopback(options.host);
  if (loopback && !options.tokenFile) return { token: null };
  const file = options.tokenFile ? resolve(options.tokenFile) : join(envSettings().home, "token");
  const { token, created } = await loadOrCreateToken(file);
  err(
    `repocate: bearer auth on; the token is in ${file}${created ? " (created)" : ""}: ` +
      `send Authorization: Bearer <token>`,
  );
  return { token };
}

/** Runs the server until SIGINT or SIGTERM. */
export async function serve(globals: GlobalOptions, options: ServeOptions): Promise<void> {
  const { createApp, isLoopback, LOOPBACK_NAMES } = await loadHttp();
  const port = parsePort(options.port);
  const origins = checkOrigins(options.cors ?? []);
  const auth = await authFor(options);
  const runtime = await openRuntime(runtimeOptions(globals));
  const operations = new OperationStore({
    onInternalError: (op, error) =>
      err(
        `repocate serve: operation ${op.id} (${op.kind} ${op.target}) failed: ${
          error instanceof Error ? error.stack : error
        }`,
      ),
  });
  const closing = new AbortController();
  const view = await EnvironmentView.start(
    new Services(runtime.registry),
    runtime.registry,
    envSettings(),
  );
  if (!view) {
    err("repocate: no live container view (docker plugin not loaded); listing asks the engine");
  }
  const app = createApp({
    view,
    runtime,
    settings: envSettings(),
    operations,
    auth,
    corsOrigins: origins,
    allowedHosts: isLoopback(options.host) ? LOOPBACK_NAMES : null,
    shutdown: closing.signal,
  });
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: options.host,
      port,
      onListen: ({ hostname, port }) => {
        const host = hostname.includes(":") ? `[${hostname}]` : hostname;
        err(`listening on http://${host}:${port}`);
      },
    }, app.fetch);
  } catch (error) {
    await runtime.close();
    if (error instanceof Deno.errors.AddrInUse) {
      throw new RepocateError("USAGE", `${options.host}:${port} is in use; pick another --port`);
    }
    throw error;
  }
  const stop = () => {
    if (closing.signal.aborted) return;
    const { running, queued } = operations.counts();
    err(
      running + queued
        ? `repocate: shutting down; waiting up to ${SHUTDOWN_GRACE_MS / 1000} s for ` +
          `${running + queued} operation(s)`
        : "repocate: shutting down",
    );
    closing.abort();
    server.shutdown().catch(() => {});
  };
  const signals = ["SIGINT", "SIGTERM"] as const;
  for (const signal of signals) Deno.addSignalListener(signal, stop);
  try {
    await server.finished;
    if (!(await operations.drain(SHUTDOWN_GRACE_MS))) {
      err("repocate: operations still running at shutdown were cut short");
    }
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, stop);
    await runtime.close();
  }
}

/** Adds `serve` to `program`. */
export function serveCommand(program: Command): void {
  program.command("serve")
    .description("serve the HTTP API and web UI (see README: Service)")
    .option("--host <address>", "address to bind; any but loopback requires a token", "127.0.0.1")
    .option("--port <port>", "port; 0 picks a free one", String(DEFAULT_PORT))
    .option("--token-file <path>", "bearer token file, created if missing (turns auth on)")
    .option("--cors <origin...>", "browser origins allowed to call the API")
    .action((_o, cmd: Command) =>
      serve(cmd.optsWithGlobals() as GlobalOptions, cmd.opts() as ServeOptions)
    );
}

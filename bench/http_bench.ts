/**
 * HTTP benchmark (issue 5, item 3): `GET /v1/environments` of a real `repocate serve` holding N
 * environments, against a bare Hono route serving the same JSON from memory, both driven from a
 * second process by wrk (Debian's package) in the same run. Prints requests/s, p99 and the ratio.
 *
 *   deno run -A bench/http_bench.ts [--envs 100] [--seconds 10] [--connections 32]
 *
 * Needs: the test engine (DOCKER_HOST, repocate-test/busybox:latest), wrk on PATH, git. Removes
 * every environment it made.
 *
 * @module
 */
import { Hono } from "hono";
import { join } from "@std/path";
import { makeRepo } from "../tests/_support/git_fixtures.ts";
import { readEvents, startServer } from "../tests/_support/http_server.ts";

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

const ENVS = flag("envs", 100);
const SECONDS = flag("seconds", 10);
const CONNECTIONS = flag("connections", 32);

/** One wrk run's figures. */
interface WrkResult {
  rps: number;
  p99ms: number;
}

function toMs(value: string): number {
  const m = value.match(/^([\d.]+)(us|ms|s)$/);
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1);
}

async function wrk(url: string): Promise<WrkResult> {
  const out = await new Deno.Command("wrk", {
    args: ["-t2", `-c${CONNECTIONS}`, `-d${SECONDS}s`, "--latency", url],
    stdout: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const rps = Number(text.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
  const p99 = toMs(text.match(/^\s+99%\s+(\S+)/m)?.[1] ?? "");
  return { rps, p99ms: p99 };
}

async function inBatches<T>(items: T[], size: number, fn: (t: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

const server = await startServer();
const names = Array.from({ length: ENVS }, (_, i) => `httpb-${i}`);
try {
  console.error(`creating ${ENVS} environments …`);
  await inBatches(names, 8, async (name) => {
    const repo = await makeRepo(join(server.repos, name), { "x.txt": name });
    const res = await server.request("/v1/environments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ repo, name }),
    });
    const { operation } = await res.json();
    const events = await readEvents(
      await server.request(`/v1/operations/${operation.id}/events`),
      600_000,
    );
    if (events.at(-1)?.event !== "done") {
      throw new Error(`create ${name} failed: ${JSON.stringify(events.at(-1))}`);
    }
  });
  // The engine's events of the creates (each makes the docker plugin list the containers anew)
  // may still be arriving: measure the steady state, once the list's tag held for 2 s.
  const settled = performance.now();
  let tag = "";
  let since = performance.now();
  while (performance.now() - since < 2000 && performance.now() - settled < 120_000) {
    const res = await server.request("/v1/environments");
    await res.body?.cancel();
    const now = res.headers.get("etag") ?? "";
    if (now !== tag) [tag, since] = [now, performance.now()];
    await new Promise((r) => setTimeout(r, 100));
  }
  console.error(`the list settled after ${((performance.now() - settled) / 1000).toFixed(1)} s`);
  const body = await (await server.request("/v1/environments")).text();
  const bare = new Hono().get(
    "/v1/environments",
    (c) => c.body(body, 200, { "content-type": "application/json" }),
  );
  const bareServer = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, bare.fetch);
  try {
    const barePort = (bareServer.addr as Deno.NetAddr).port;
    const ours = await wrk(`${server.url}/v1/environments`);
    const baseline = await wrk(`http://127.0.0.1:${barePort}/v1/environments`);
    console.log(
      `GET /v1/environments with ${ENVS} environments (${body.length} bytes), wrk -c${CONNECTIONS} -d${SECONDS}s`,
    );
    console.log(
      `  bare Hono route:  ${baseline.rps.toFixed(0)} req/s, p99 ${baseline.p99ms.toFixed(2)} ms`,
    );
    console.log(
      `  repocate serve:   ${ours.rps.toFixed(0)} req/s, p99 ${ours.p99ms.toFixed(2)} ms`,
    );
    console.log(
      `  ratio:            ${(ours.rps / baseline.rps).toFixed(3)}× (target ≥ 0.8×, p99 < 5 ms)`,
    );
  } finally {
    await bareServer.shutdown();
  }
} finally {
  await inBatches(names, 8, async (name) => {
    await server.request(`/v1/environments/${name}?purge=true`, { method: "DELETE" }).then((r) =>
      r.body?.cancel()
    );
  });
  await server.stop();
}

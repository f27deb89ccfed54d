/**
 * How soon the service's live environment list shows a change made behind repocate's back
 * (issue 5, item 3: "a container changed behind repocate's back shows within a second"): the
 * builtin docker plugin's watch over the real engine feeds an `EnvironmentView`, as
 * `repocate serve` runs it; a labelled busybox container is stopped, started and finally removed
 * with the docker CLI, and each time the view is read every 5 ms until it shows the change. The
 * time is counted from the moment the docker CLI returned, so it is the engine's event, the
 * plugin's look at the container and the view's recomputation. Everything it made is removed.
 *
 * ```sh
 * deno run -A --unstable-worker-options bench/view_latency.ts [--rounds 20]
 * ```
 *
 * @module
 */
import { join } from "@std/path";
import { openRuntime } from "../core/runtime.ts";
import { Services } from "../core/env/services.ts";
import { envSettings } from "../core/env/settings.ts";
import { EnvironmentView } from "../core/env/view.ts";
import { sandboxManifest } from "../tests/_support/lifecycle.ts";
import { environmentContainerArgs } from "../tests/_support/docker_engine.ts";
import { docker, median } from "./_e2e.ts";

const HOST = Deno.env.get("DOCKER_HOST") ?? "unix:///run/repocate-ci/docker.sock";
const BUSYBOX = "repocate-test/busybox:latest";
const at = Deno.args.indexOf("--rounds");
const ROUNDS = at >= 0 ? Number(Deno.args[at + 1]) : 20;
if (!Number.isInteger(ROUNDS) || ROUNDS < 1 || ROUNDS > 1000) throw new Error("bad --rounds");

const dir = await Deno.makeTempDir({ prefix: "repocate-bench-view-" });
const home = join(dir, "home");
const settings = envSettings({ home, defaultImage: BUSYBOX });
const name = `viewbench-${crypto.randomUUID().slice(0, 6)}`;
const container = `repocate-${name}`;
const runtime = await openRuntime({
  manifestFile: await sandboxManifest(dir, home, {
    only: ["docker"],
    dockerSocket: HOST.replace(/^unix:\/\//, ""),
  }),
  cacheDir: join(dir, "cache"),
  typeCheck: false,
});

/** Milliseconds from now until the view lists the environment in state `want`. */
async function shows(view: EnvironmentView, want: string): Promise<number> {
  const start = performance.now();
  for (;;) {
    const state = (await view.list()).find((e) => e.name === name)?.state;
    if (state === want) return performance.now() - start;
    if (performance.now() - start > 30_000) throw new Error(`never showed ${want}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function summary(what: string, times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const ms = (t: number) => `${t.toFixed(1)} ms`;
  return `  ${what.padEnd(28)} median ${ms(median(times))}, max ${ms(sorted.at(-1)!)} ` +
    `(${times.length} rounds)`;
}

try {
  await Deno.mkdir(join(settings.workspaces, name), { recursive: true });
  await docker(HOST, [
    "create",
    ...environmentContainerArgs(name, settings.workspaces),
    "--stop-signal",
    "SIGKILL",
    BUSYBOX,
    "sleep",
    "600",
  ]);
  const view = await EnvironmentView.start(
    new Services(runtime.registry),
    runtime.registry,
    settings,
  );
  if (!view) throw new Error("the docker plugin's watch did not start");
  await shows(view, "created");
  const stopped: number[] = [];
  const started: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await docker(HOST, ["start", container]);
    started.push(await shows(view, "running"));
    await docker(HOST, ["stop", container]);
    stopped.push(await shows(view, "exited"));
  }
  await docker(HOST, ["rm", "-f", container]);
  const removed = await shows(view, "missing");
  console.log(
    `a change made with the docker CLI, until the live view lists it (from the CLI's return):`,
  );
  console.log(summary("started → running", started));
  console.log(summary("stopped → exited", stopped));
  console.log(`  ${"removed → missing".padEnd(28)} ${removed.toFixed(1)} ms (once)`);
} finally {
  await docker(HOST, ["rm", "-f", container], { allowFailure: true });
  await runtime.close();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}

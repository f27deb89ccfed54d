/**
 * End-to-end benchmark of `repocate create` (issue 5, item 4): a small local repository with a
 * `.devcontainer/Dockerfile` (FROM repocate-test/busybox:latest plus one RUN) and a
 * postCreateCommand, created the same way by
 *
 * - (a) the floor: `git clone`, `docker build`, `docker run -d`, `docker exec <postCreate>`
 *   run one after another with Deno.Command against the same engine;
 * - (b) `repocate create` through the launcher (`deno run -A launch.ts --manifest … create`),
 *   with repocate's own plugins (a sandbox manifest like tests/_support/lifecycle.ts's),
 *   REPOCATE_HOME in a temporary folder, `rm --purge --yes` between runs (not timed);
 * - (c) `git clone` + `devcontainer up` of npm @devcontainers/cli when it is installed in
 *   bench/.tools (see bench/README.md);
 *
 * cold (the built images removed first) once each, then warm `--runs` times interleaved. It
 * also times process start to "ready" (`actions list`) beside an empty `deno run`, and
 * `repocate list --json` with the engine's environments plus 0 and plus `--envs` cheap ones.
 * Everything it made is removed at the end, on failure too.
 *
 * ```sh
 * deno run -A bench/e2e_create.ts [--runs 5] [--envs 20] [--no-devcontainer] [--no-cold]
 * ```
 *
 * @module
 */
import { fromFileUrl, join, toFileUrl } from "@std/path";
import { buildPlugin } from "../host/bundle.ts";
import { openRuntime } from "../core/runtime.ts";
import { createEnvironment } from "../core/env/create.ts";
import { listEnvironments } from "../core/env/environments.ts";
import { Services } from "../core/env/services.ts";
import { envSettings } from "../core/env/settings.ts";
import { makeRepo } from "../tests/_support/git_fixtures.ts";
import { sandboxManifest } from "../tests/_support/lifecycle.ts";
import { cleanupEngine, docker, fmtMs, median, type Ran, run } from "./_e2e.ts";

const ROOT = fromFileUrl(new URL("../", import.meta.url));
const DEVCONTAINER = join(ROOT, "bench/.tools/node_modules/@devcontainers/cli/devcontainer.js");
const BUSYBOX = "repocate-test/busybox:latest";
const POST_CREATE = "echo created > /tmp/created";

function flag(name: string): boolean {
  return Deno.args.includes(`--${name}`);
}
function option(name: string, fallback: number): number {
  const at = Deno.args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(Deno.args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0 || value > 100) throw new Error(`bad --${name}`);
  return value;
}

const RUNS = option("runs", 5);
const ENVS = option("envs", 20);
const host = Deno.env.get("DOCKER_HOST") ?? "unix:///run/repocate-ci/docker.sock";
Deno.env.set("DOCKER_HOST", host);
const id = crypto.randomUUID().slice(0, 6);
const name = `rcbench-${id}`;
const label = `dev.repocate-bench.${id}`;
const floorImage = `repocate-bench/${name}:floor`;
const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "repocate-e2e-" }));
const home = join(dir, "home");
const repo = join(dir, "repos", name);
const results: Record<string, unknown> = { id, host, runs: RUNS, envs: ENVS, at: new Date() };

const env = {
  DOCKER_HOST: host,
  REPOCATE_HOME: home,
  REPOCATE_CACHE_DIR: join(dir, "cache"),
  REPOCATE_DEFAULT_IMAGE: BUSYBOX,
  NO_COLOR: "1",
};
const deno = Deno.execPath();
let manifest = "";
const repocate = (...args: string[]) =>
  run(deno, ["run", "-A", join(ROOT, "launch.ts"), "--manifest", manifest, ...args], { env });

async function floor(): Promise<Ran & { steps: number[] }> {
  const ws = join(dir, "floor", name);
  const steps: number[] = [];
  const started = performance.now();
  for (
    const [cmd, args] of [
      ["git", ["clone", "-q", `file://${repo}`, ws]],
      ["docker", [
        "-H",
        host,
        "build",
        "-q",
        "-t",
        floorImage,
        "-f",
        join(ws, ".devcontainer/Dockerfile"),
        join(ws, ".devcontainer"),
      ]],
      [
        "docker",
        ["-H", host, "run", "-d", "--name", `${name}-floor`, "--label", `${label}=floor`]
          .concat(["-v", `${ws}:/workspaces/${name}`, "-w", `/workspaces/${name}`])
          .concat([floorImage, "sleep", "infinity"]),
      ],
      ["docker", ["-H", host, "exec", `${name}-floor`, "/bin/sh", "-c", POST_CREATE]],
    ] as const
  ) {
    steps.push((await run(cmd, [...args], { env: { DOCKER_BUILDKIT: "0" } })).ms);
  }
  return { ms: performance.now() - started, stdout: "", stderr: "", steps };
}

async function resetFloor(): Promise<void> {
  await docker(host, ["rm", "-f", `${name}-floor`], { allowFailure: true });
  await Deno.remove(join(dir, "floor"), { recursive: true }).catch(() => {});
}

async function repocateCreate(): Promise<Ran> {
  return await repocate("create", repo);
}

async function resetRepocate(): Promise<void> {
  await repocate("rm", name, "--purge", "--yes");
}

async function devcontainerUp(): Promise<Ran> {
  const ws = join(dir, "dc", name);
  const started = performance.now();
  await run("git", ["clone", "-q", `file://${repo}`, ws]);
  const up = await run("node", [
    DEVCONTAINER,
    "up",
    "--workspace-folder",
    ws,
    "--id-label",
    `${label}=devcontainer`,
    "--log-level",
    "info",
  ], { env: { DOCKER_HOST: host } });
  return { ...up, ms: performance.now() - started };
}

async function resetDevcontainer(): Promise<void> {
  const ps = await docker(host, ["ps", "-aq", "--filter", `label=${label}=devcontainer`]);
  const ids = ps.stdout.split("\n").filter(Boolean);
  if (ids.length) await docker(host, ["rm", "-f", ...ids]);
  await Deno.remove(join(dir, "dc"), { recursive: true }).catch(() => {});
}

async function removeBuiltImages(): Promise<void> {
  const images = await docker(host, ["images", "--format", "{{.Repository}}:{{.Tag}}"]);
  const tags = images.stdout.split("\n").filter((t) =>
    t === floorImage || t.startsWith(`repocate/${name}:`) || t.startsWith(`vsc-${name}-`)
  );
  if (tags.length) await docker(host, ["rmi", "-f", ...tags]);
}

interface Contender {
  label: string;
  once: () => Promise<Ran>;
  reset: () => Promise<void>;
}

async function devcontainerWorks(): Promise<string | null> {
  if (flag("no-devcontainer")) return "skipped (--no-devcontainer)";
  try {
    await Deno.stat(DEVCONTAINER);
  } catch {
    return `not installed: npm install --prefix bench/.tools @devcontainers/cli`;
  }
  const version = await run("node", [DEVCONTAINER, "--version"], { allowFailure: true });
  results.devcontainerVersion = version.stdout.trim();
  return null;
}

async function startup(): Promise<void> {
  const empty = join(dir, "empty.ts");
  await Deno.writeTextFile(empty, "\n");
  const bare: number[] = [];
  const ready: number[] = [];
  const direct: number[] = [];
  const main = join(ROOT, "main.ts");
  for (let i = 0; i < 10; i++) {
    bare.push((await run(deno, ["run", "-A", empty])).ms);
    ready.push((await repocate("actions", "list", "--json")).ms);
    const args = ["run", "-A", main, "--manifest", manifest, "actions", "list", "--json"];
    direct.push((await run(deno, args, { env })).ms);
  }
  // In this process: the builtins' bundling alone (both at once, as an empty cache does), and
  // the runtime to ready: lazy (the default, registrations cached, no Worker) and eager.
  const bundle: number[] = [];
  const lazy: number[] = [];
  const eager: number[] = [];
  const builtins = ["docker", "git"].map((p) => toFileUrl(join(ROOT, `plugins/${p}/mod.ts`)).href);
  const open = async (times: number[], lazy: boolean) => {
    const t = performance.now();
    const runtime = await openRuntime({
      manifestFile: manifest,
      cacheDir: env.REPOCATE_CACHE_DIR,
      lazy,
    });
    times.push(performance.now() - t);
    await runtime.close();
  };
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await Promise.all(builtins.map((url) => buildPlugin(url, { remote: false })));
    bundle.push(performance.now() - t);
    await open(lazy, true);
    await open(eager, false);
  }
  results.startup = { bare, ready, direct, bundle, lazy, eager };
  console.log(
    `startup (median of 10): deno run of an empty file ${fmtMs(median(bare))}; ` +
      `repocate actions list (launcher + main + the 2 builtins registered) ` +
      `${fmtMs(median(ready))} = ${(median(ready) / median(bare)).toFixed(2)}x, ` +
      `main.ts without the launcher ${fmtMs(median(direct))}\n` +
      `  in-process (median of 5): openRuntime lazy (default) ${fmtMs(median(lazy))}, ` +
      `eager (--no-cache: both Workers) ${fmtMs(median(eager))}; deno bundle of both ` +
      `(what an empty or stale cache costs) ${fmtMs(median(bundle))}`,
  );
}

async function createRuns(): Promise<void> {
  const skipDc = await devcontainerWorks();
  const contenders: Contender[] = [
    { label: "floor", once: floor, reset: resetFloor },
    { label: "repocate", once: repocateCreate, reset: resetRepocate },
  ];
  if (skipDc) console.log(`devcontainer up: ${skipDc}`);
  else contenders.push({ label: "devcontainer", once: devcontainerUp, reset: resetDevcontainer });
  const cold: Record<string, number> = {};
  if (!flag("no-cold")) {
    for (const c of contenders) {
      await removeBuiltImages();
      cold[c.label] = (await c.once()).ms;
      await c.reset();
    }
  }
  for (const c of contenders) {
    await c.once();
    await c.reset();
  }
  const warm: Record<string, number[]> = Object.fromEntries(contenders.map((c) => [c.label, []]));
  const floorSteps: number[][] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const c of contenders) {
      const ran = await c.once();
      warm[c.label].push(ran.ms);
      if ("steps" in ran) floorSteps.push(ran.steps as number[]);
      await c.reset();
    }
  }
  results.cold = cold;
  results.warm = warm;
  results.floorSteps = floorSteps;
  const base = median(warm.floor);
  console.log(`\ncreate, warm (median of ${RUNS}, interleaved), ratio to the floor:`);
  for (const c of contenders) {
    const m = median(warm[c.label]);
    console.log(
      `  ${c.label.padEnd(13)} ${fmtMs(m).padStart(9)}  ${(m / base).toFixed(2)}x  ` +
        `(${warm[c.label].map(fmtMs).join(", ")})`,
    );
  }
  const stepNames = ["git clone", "docker build", "docker run -d", "docker exec"];
  console.log(
    `  floor steps (median): ` +
      stepNames.map((s, i) => `${s} ${fmtMs(median(floorSteps.map((f) => f[i])))}`).join(", "),
  );
  if (Object.keys(cold).length) {
    console.log(`create, cold (built images removed first, one run each):`);
    for (const [who, ms] of Object.entries(cold)) {
      console.log(`  ${who.padEnd(13)} ${fmtMs(ms).padStart(9)}  ${(ms / cold.floor).toFixed(2)}x`);
    }
  }
}

async function listRuns(): Promise<void> {
  // `list --json` as a user runs it (a whole process), and listEnvironments in one runtime.
  const cli = async () => {
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < 10; i++) {
      const ran = await repocate("list", "--json");
      times.push(ran.ms);
      count = (JSON.parse(ran.stdout) as unknown[]).length;
    }
    return { times, count };
  };
  const runtime = await openRuntime({ manifestFile: manifest, cacheDir: env.REPOCATE_CACHE_DIR });
  try {
    const services = new Services(runtime.registry);
    const settings = envSettings({ home, defaultImage: BUSYBOX });
    const inProcess = async () => {
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        await listEnvironments(services, settings);
        times.push(performance.now() - t);
      }
      return times;
    };
    const before = { ...await cli(), inProcess: await inProcess() };
    // The cheap environments are made in this runtime, four at a time (not timed).
    const plain = await makeRepo(join(dir, "repos", `${name}-plain`), { "README.md": "plain\n" });
    for (let i = 0; i < ENVS; i += 4) {
      const batch = Array.from({ length: Math.min(4, ENVS - i) }, (_, k) => i + k);
      await Promise.all(batch.map((n) =>
        createEnvironment(services, settings, {
          repo: plain,
          name: `${name}-l${String(n).padStart(2, "0")}`,
        }, () => {})
      ));
    }
    const after = { ...await cli(), inProcess: await inProcess() };
    results.list = { before, after };
    const line = (r: typeof before) =>
      `${r.count} environments: process ${fmtMs(median(r.times))}, ` +
      `in-process ${fmtMs(median(r.inProcess))}`;
    console.log(
      `\nrepocate list --json (median of 10): ${line(before)}; ${line(after)}`,
    );
  } finally {
    await runtime.close();
  }
}

const cleanup = () =>
  cleanupEngine(host, name, label, [floorImage]).then(() =>
    Deno.remove(dir, { recursive: true }).catch(() => {})
  );
Deno.addSignalListener("SIGINT", () => cleanup().finally(() => Deno.exit(130)));

try {
  await makeRepo(repo, {
    "README.md": "# bench\n",
    ".devcontainer/Dockerfile": `FROM ${BUSYBOX}\nRUN echo built-${id} > /built.txt\n`,
    ".devcontainer/devcontainer.json": JSON.stringify({
      build: { dockerfile: "Dockerfile" },
      postCreateCommand: POST_CREATE,
    }) + "\n",
  });
  manifest = await sandboxManifest(dir, home);
  // Fills the plugin cache (type check of the builtins), as any first start does.
  const first = await repocate("plugins", "list");
  results.firstStart = first.ms;
  console.log(`first start, plugin cache empty (type checks the builtins): ${fmtMs(first.ms)}`);
  await startup();
  await createRuns();
  if (ENVS > 0) await listRuns();
  await Deno.mkdir(join(ROOT, "bench/results"), { recursive: true });
  const out = join(
    ROOT,
    `bench/results/e2e-${new Date().toISOString().replace(/[:.]/g, "-")}.json`,
  );
  await Deno.writeTextFile(out, JSON.stringify(results, null, 2) + "\n");
  console.log(`\nraw figures: ${out}`);
} finally {
  await cleanup();
}

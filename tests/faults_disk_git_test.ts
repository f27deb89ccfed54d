/**
 * Faults of the machine around repocate, on the real test engine and real git, through the CLI
 * as a user runs it: the workspace disk read-only (a read-only bind mount, as root) and git not
 * installed (a PATH holding deno but no git). Each must give one clear line naming what failed
 * and where, a non-zero exit, and lose nothing: no half-made container, volume or image, no
 * deleted or changed workspace, no lock left behind.
 *
 * The read-only tests need `mount`; where this process may not mount (not root, no
 * CAP_SYS_ADMIN), they are ignored and the reason printed.
 */
import { assert, assertEquals, assertMatch, assertNotEquals } from "@std/assert";
import { join } from "@std/path";
import { BUSYBOX_IMAGE, SKIP_DOCKER } from "./_support/docker_engine.ts";
import { git, listFiles, makeRepo } from "./_support/git_fixtures.ts";
import { sandboxManifest } from "./_support/lifecycle.ts";
import { launcherArgs } from "./_support/launcher.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Runs a program; resolves to its exit code and output. */
async function exec(
  cmd: string,
  args: string[],
  env?: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(cmd, { args, env, stdin: "null" }).output();
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

/** Runs a program that must succeed; returns its stdout. */
async function must(cmd: string, ...args: string[]): Promise<string> {
  const out = await exec(cmd, args);
  if (out.code !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${out.stderr.trim()}`);
  return out.stdout;
}

/** Makes `dir` read-only in place with a bind mount; returns the undo (idempotent). */
async function readOnly(dir: string): Promise<() => Promise<void>> {
  await must("mount", "--bind", dir, dir);
  let mounted = true;
  const undo = async () => {
    if (!mounted) return;
    mounted = false;
    if ((await exec("umount", [dir])).code !== 0) await must("umount", "-l", dir);
  };
  try {
    await must("mount", "-o", "remount,bind,ro", dir);
  } catch (error) {
    await undo();
    throw error;
  }
  return undo;
}

/** Why read-only mounts cannot be made here, or null when they can (tried for real). */
async function mountUnavailable(): Promise<string | null> {
  if (Deno.build.os !== "linux") return `read-only bind mounts need Linux, not ${Deno.build.os}`;
  const dir = await Deno.makeTempDir({ prefix: "repocate-ro-probe-" });
  try {
    const undo = await readOnly(dir);
    try {
      await Deno.writeTextFile(join(dir, "probe"), "x");
      return `a file could still be written under a read-only bind mount of ${dir}`;
    } catch (error) {
      if ((error as { code?: string }).code !== "EROFS") return `probe write: ${error}`;
      return null;
    } finally {
      await undo();
    }
  } catch (error) {
    return `cannot make a read-only bind mount (${(error as Error).message})`;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** One plugin cache for every test here (bundles are keyed by content, so sharing is safe). */
const CACHE = await Deno.makeTempDir({ prefix: "repocate-faults-cache-" });
globalThis.addEventListener("unload", () => Deno.removeSync(CACHE, { recursive: true }));

const NO_MOUNT = SKIP_DOCKER ? null : await mountUnavailable();
if (NO_MOUNT) console.error(`faults_disk_git_test: read-only disk tests ignored: ${NO_MOUNT}`);

/** A user's view: the CLI through the launcher, a sandboxed home, the real engine. */
interface Cli {
  /** Temporary folder: home, repos, manifest, cache. */
  dir: string;
  /** `REPOCATE_HOME`. */
  home: string;
  /** Runs `repocate args…` with `env` added; its exit code and output. */
  run(
    args: string[],
    env?: Record<string, string>,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  /** A fresh environment name, removed with everything it made when the test ends. */
  newName(prefix: string): string;
  /** Makes `dir` read-only until the test ends (or the returned undo is called). */
  readOnly(dir: string): Promise<() => Promise<void>>;
}

async function withCli(fn: (cli: Cli) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-faults-" });
  const home = join(dir, "home");
  const manifest = await sandboxManifest(dir, home);
  const names: string[] = [];
  const mounts: (() => Promise<void>)[] = [];
  const run: Cli["run"] = (args, env = {}) =>
    exec(Deno.execPath(), [
      ...launcherArgs(),
      "--manifest",
      manifest,
      "--no-check",
      ...args,
    ], {
      REPOCATE_HOME: home,
      REPOCATE_CACHE_DIR: CACHE,
      REPOCATE_DEFAULT_IMAGE: BUSYBOX_IMAGE,
      NO_COLOR: "1",
      ...env,
    });
  try {
    await fn({
      dir,
      home,
      run,
      newName: (prefix) => {
        names.push(`${prefix}-${crypto.randomUUID().slice(0, 8)}`);
        return names.at(-1)!;
      },
      readOnly: async (path) => {
        const undo = await readOnly(path);
        mounts.push(undo);
        return undo;
      },
    });
  } finally {
    for (const undo of mounts.reverse()) await undo();
    for (const name of names) {
      await run(["rm", name, "--purge", "--yes"]);
      await removeLeftovers(name);
    }
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** The docker CLI against the test engine. */
function docker(...args: string[]): Promise<string> {
  return must("docker", ...args);
}

/** What the engine holds for environment `name`: containers, volumes, image tags. */
async function onEngine(name: string): Promise<string[]> {
  const lines = (s: string) => s.split("\n").filter((l) => l !== "");
  const containers = [
    ...lines(
      await docker("ps", "-a", "--format", "{{.Names}}", "--filter", `name=repocate-${name}`),
    ),
    ...lines(
      await docker(
        "ps",
        "-a",
        "--format",
        "{{.Names}}",
        "--filter",
        `label=dev.repocate.name=${name}`,
      ),
    ),
  ];
  const volumes = [
    ...lines(await docker("volume", "ls", "-q", "--filter", `name=repocate-${name}`)),
    ...lines(await docker("volume", "ls", "-q", "--filter", `label=dev.repocate.name=${name}`)),
  ];
  const images = lines(
    await docker("images", "--format", "{{.Repository}}:{{.Tag}}", `repocate/${name}`),
  );
  return [
    ...new Set([
      ...containers.map((c) => `container ${c}`),
      ...volumes.map((v) => `volume ${v}`),
      ...images.map((i) => `image ${i}`),
    ]),
  ].sort();
}

async function removeLeftovers(name: string): Promise<void> {
  for (const thing of await onEngine(name).catch(() => [])) {
    const [kind, id] = thing.split(" ");
    const args = kind === "container"
      ? ["rm", "-f", id]
      : kind === "volume"
      ? ["volume", "rm", "-f", id]
      : ["rmi", "-f", id];
    await docker(...args).catch(() => {});
  }
}

/** The id and state of environment `name`'s container, asked of the engine. */
async function containerOf(name: string): Promise<string> {
  return (await docker(
    "ps",
    "-a",
    "--no-trunc",
    "--format",
    "{{.ID}} {{.State}}",
    "--filter",
    `label=dev.repocate.name=${name}`,
  )).trim();
}

/** The files in `home/locks` (none, or no folder, once every command has ended). */
async function locks(home: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(join(home, "locks")))).map((e) => e.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** The one error line of a failed command: stderr's last line, and the only `repocate:` one. */
function errorLine(result: { code: number; stderr: string }): string {
  assertNotEquals(result.code, 0, `expected a failure, got exit 0: ${result.stderr}`);
  const lines = result.stderr.trim().split("\n");
  const line = lines.at(-1)!;
  assert(line.startsWith("repocate: "), `not an error line: ${result.stderr}`);
  assertEquals(lines.filter((l) => l.startsWith("repocate:")).length, 1, result.stderr);
  assert(!line.includes("    at "), `a stack trace: ${line}`);
  return line;
}

interface Listed {
  name: string;
  state: string;
  containerId: string | null;
}

async function listed(cli: Cli, env?: Record<string, string>): Promise<Listed[]> {
  const out = await cli.run(["list", "--json"], env);
  assertEquals(out.code, 0, out.stderr);
  return JSON.parse(out.stdout);
}

/** Everything of a workspace that must survive: files with content, index, refs, HEAD. */
async function workspaceState(workspace: string): Promise<string> {
  const files: string[] = [];
  for (const file of await listFiles(workspace)) {
    files.push(`${file}: ${await Deno.readTextFile(join(workspace, file))}`);
  }
  const index = await crypto.subtle.digest(
    "SHA-256",
    await Deno.readFile(join(workspace, ".git", "index")),
  );
  return [
    ...files,
    `index ${[...new Uint8Array(index)].map((b) => b.toString(16).padStart(2, "0")).join("")}`,
    await git(workspace, "for-each-ref", "--format=%(refname) %(objectname)"),
    await git(workspace, "rev-parse", "HEAD"),
    await git(workspace, "status", "--porcelain=v1", "--untracked-files=all"),
  ].join("\n");
}

const diskTest = { ignore: SKIP_DOCKER || NO_MOUNT !== null } as const;

Deno.test({
  ...diskTest,
  name: "create into a read-only workspace root: one line naming the path, exit 1, nothing made",
  async fn() {
    await withCli(async (cli) => {
      const repo = await makeRepo(join(cli.dir, "repos", "rodisk"), {
        "README.md": "hi\n",
        // A successful create builds repocate/<name>: the probe below would see it.
        Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN echo built > /built\n`,
      });
      const name = cli.newName("rodisk");
      const workspaces = join(cli.home, "workspaces");
      await Deno.mkdir(workspaces, { recursive: true });
      const undo = await cli.readOnly(workspaces);

      const failed = await cli.run(["create", repo, "--name", name]);
      assertEquals(failed.code, 1, failed.stderr);
      const line = errorLine(failed);
      console.log(`create on a read-only workspace root: ${line}`);
      assertMatch(line, /plugin "git": cannot clone /);
      assert(line.includes(`${workspaces} is on a read-only filesystem`), line);
      assert(line.includes(join(workspaces, name)), line);
      assertEquals(await onEngine(name), []);
      assertEquals(await locks(cli.home), []);
      assertEquals(await Array.fromAsync(Deno.readDir(workspaces)), []);

      // Writable again, the same create completes: nothing half-made or stale blocks it, and
      // the engine probe sees what a create makes.
      await undo();
      const created = await cli.run(["create", repo, "--name", name, "--json"]);
      assertEquals(created.code, 0, created.stderr);
      assertEquals(JSON.parse(created.stdout).state, "running");
      const made = await onEngine(name);
      assert(made.includes(`container repocate-${name}`), made.join(", "));
      assert(made.includes(`volume repocate-${name}-home`), made.join(", "));
      assert(made.some((m) => m.startsWith(`image repocate/${name}:`)), made.join(", "));
      assertEquals(await locks(cli.home), []);
    });
  },
});

Deno.test({
  ...diskTest,
  name: "create with REPOCATE_HOME read-only: the lock cannot be taken, said in one line, exit 1",
  async fn() {
    await withCli(async (cli) => {
      const repo = await makeRepo(join(cli.dir, "repos", "rohome"), { "README.md": "hi\n" });
      const name = cli.newName("rohome");
      await Deno.mkdir(join(cli.home, "workspaces"), { recursive: true });
      await cli.readOnly(cli.home);

      const failed = await cli.run(["create", repo, "--name", name]);
      assertEquals(failed.code, 1, failed.stderr);
      const line = errorLine(failed);
      console.log(`create with a read-only home: ${line}`);
      assert(!line.includes("internal error"), line);
      assertStringFragments(line, [
        `cannot take the lock for environment "${name}"`,
        `${join(cli.home, "locks")} is on a read-only filesystem`,
        "nothing was changed",
      ]);
      assertEquals(await onEngine(name), []);
      assertEquals(await locks(cli.home), []);
      assertEquals(await Array.fromAsync(Deno.readDir(join(cli.home, "workspaces"))), []);
    });
  },
});

/**
 * Creates an environment named after `base` through the CLI (it must succeed) from a fresh
 * one-file repository, and leaves unsaved work (`work.txt`) in its workspace.
 */
async function createdWithWork(
  cli: Cli,
  base: string,
): Promise<{ name: string; workspace: string }> {
  const repo = await makeRepo(join(cli.dir, "repos", base), { "README.md": "hi\n" });
  const name = cli.newName(base);
  const created = await cli.run(["create", repo, "--name", name]);
  assertEquals(created.code, 0, created.stderr);
  const workspace = join(cli.home, "workspaces", name);
  await Deno.writeTextFile(join(workspace, "work.txt"), "unsaved work\n");
  return { name, workspace };
}

function assertStringFragments(line: string, fragments: string[]): void {
  for (const fragment of fragments) {
    assert(line.includes(fragment), `"${fragment}" not in: ${line}`);
  }
}

Deno.test({
  ...diskTest,
  name: "an environment whose workspace turns read-only: writers fail cleanly, nothing is lost",
  async fn() {
    await withCli(async (cli) => {
      const { name, workspace } = await createdWithWork(cli, "rowork");
      await Deno.writeTextFile(join(workspace, "README.md"), "edited\n");
      const snap = await cli.run(["snapshot", name, "-m", "before the disk turned"]);
      assertEquals(snap.code, 0, snap.stderr);
      const snapshotId = /\b(\d{8}T\d{9}Z-[0-9a-f]{6})\b/.exec(snap.stdout + snap.stderr)?.[1];
      assert(snapshotId, snap.stdout + snap.stderr);
      const before = await workspaceState(workspace);
      const [env] = await listed(cli);
      assertEquals([env.name, env.state], [name, "running"]);

      const undo = await cli.readOnly(workspace);
      const readOnlyHere = `${workspace} is on a read-only filesystem`;
      const failures: [string[], string[]][] = [
        [["snapshot", name], ["cannot snapshot", readOnlyHere]],
        [["rebuild", name], [
          `rebuild of "${name}" stopped before changing anything`,
          readOnlyHere,
        ]],
        [["rm", name], [`rm of "${name}" stopped before changing anything`, readOnlyHere]],
        [["rm", name, "--purge", "--yes"], [`rm of "${name}" stopped`, readOnlyHere]],
        [["rollback", name, snapshotId], ["cannot snapshot", readOnlyHere]],
      ];
      for (const [args, fragments] of failures) {
        const result = await cli.run(args);
        assertEquals(result.code, 1, `${args.join(" ")}: ${result.stderr}`);
        const line = errorLine(result);
        console.log(`${args[0]} on a read-only workspace: ${line}`);
        assertStringFragments(line, fragments);
        assertEquals(await containerOf(name), `${env.containerId} running`, args.join(" "));
        assertEquals(await locks(cli.home), [], `${args.join(" ")} left its lock`);
      }

      // Reading and the container's own state need no write to the workspace.
      const stopped = await cli.run(["stop", name, "--json"]);
      assertEquals(stopped.code, 0, stopped.stderr);
      assertEquals((await listed(cli))[0].state, "exited");
      const started = await cli.run(["start", name, "--json"]);
      assertEquals(started.code, 0, started.stderr);
      assertEquals((await listed(cli))[0].state, "running");
      assertEquals(await workspaceState(workspace), before, "the workspace is untouched");

      // Writable again: the same workspace works, with its content and snapshots intact.
      await undo();
      assertEquals(await Deno.readTextFile(join(workspace, "work.txt")), "unsaved work\n");
      const again = await cli.run(["snapshot", name, "-m", "after"]);
      assertEquals(again.code, 0, again.stderr);
      assertEquals(await locks(cli.home), []);
    });
  },
});

/** A folder holding only `deno` (this test's own): a PATH without git. */
async function pathWithoutGit(dir: string): Promise<Record<string, string>> {
  const bin = join(dir, "bin-without-git");
  await Deno.mkdir(bin, { recursive: true });
  await Deno.symlink(Deno.execPath(), join(bin, "deno"));
  const probe = await exec("/bin/sh", ["-c", "command -v git || echo none"], { PATH: bin });
  assertEquals(probe.stdout.trim(), "none", "git is still on the test PATH");
  return { PATH: bin };
}

Deno.test({
  ignore: SKIP_DOCKER,
  name: "git not installed: create says so in one line naming the git plugin, exit 1, nothing made",
  async fn() {
    await withCli(async (cli) => {
      const repo = await makeRepo(join(cli.dir, "repos", "nogit"), { "README.md": "hi\n" });
      const name = cli.newName("nogit");
      const noGit = await pathWithoutGit(cli.dir);

      const failed = await cli.run(["create", repo, "--name", name], noGit);
      assertEquals(failed.code, 1, failed.stderr);
      const line = errorLine(failed);
      console.log(`create without git: ${failed.stderr.trim().split("\n").join(" | ")}`);
      assertStringFragments(line, [
        'create needs the "git" plugin',
        "git.url.parse",
        "git.clone",
        "the plugin did not load",
        "nothing was changed",
      ]);
      // The git plugin's own load error, above it, says what is missing.
      assertMatch(
        failed.stderr,
        /^\[git\] error: plugin "git" needs the command "git", which was not found on PATH/m,
      );
      assertEquals(await onEngine(name), []);
      assertEquals(await locks(cli.home), []);
      const workspaces = await Array.fromAsync(Deno.readDir(join(cli.home, "workspaces")))
        .catch(() => []);
      assertEquals(workspaces, []);
    });
  },
});

Deno.test({
  ignore: SKIP_DOCKER,
  name: "git not installed: list, stop and start still work; snapshot and rm fail cleanly",
  async fn() {
    await withCli(async (cli) => {
      const { name, workspace } = await createdWithWork(cli, "gitgone");
      const before = await workspaceState(workspace);
      const noGit = await pathWithoutGit(cli.dir);

      const [env] = await listed(cli, noGit);
      assertEquals([env.name, env.state], [name, "running"]);
      const stopped = await cli.run(["stop", name], noGit);
      assertEquals(stopped.code, 0, stopped.stderr);
      assertEquals((await listed(cli, noGit))[0].state, "exited");
      const started = await cli.run(["start", name], noGit);
      assertEquals(started.code, 0, started.stderr);
      assertEquals((await listed(cli, noGit))[0].state, "running");

      for (const args of [["snapshot", name], ["rm", name], ["rebuild", name]]) {
        const result = await cli.run(args, noGit);
        assertEquals(result.code, 1, `${args.join(" ")}: ${result.stderr}`);
        const line = errorLine(result);
        console.log(`${args[0]} without git: ${line}`);
        assertStringFragments(line, [
          `${args[0]} needs the "git" plugin's action git.snapshot.create`,
          "the plugin did not load",
        ]);
        assertEquals(await containerOf(name), `${env.containerId} running`, args.join(" "));
        assertEquals(await locks(cli.home), []);
      }
      assertEquals(await workspaceState(workspace), before, "the workspace is untouched");
    });
  },
});

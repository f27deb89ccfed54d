/**
 * The environment commands as a user runs them: through the launcher, with the builtin plugins
 * of a sandboxed manifest and the real dockerd; exit statuses and one-line errors.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { fromFileUrl, join } from "@std/path";
import { BUSYBOX_IMAGE } from "./_support/docker_engine.ts";
import { makeRepo } from "./_support/git_fixtures.ts";
import { sandboxManifest } from "./_support/lifecycle.ts";
import { launcherArgs } from "./_support/launcher.ts";

const ROOT = fromFileUrl(new URL("../", import.meta.url));

interface Cli {
  /** A name no other test or home uses. */
  name: string;
  run(
    args: string[],
    env?: Record<string, string>,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  dir: string;
}

async function withCli(fn: (cli: Cli) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-cli-env-" });
  const home = join(dir, "home");
  const manifest = await sandboxManifest(dir, home);
  const run: Cli["run"] = async (args, env = {}) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        ...launcherArgs(),
        "--manifest",
        manifest,
        "--no-check",
        ...args,
      ],
      env: {
        REPOCATE_HOME: home,
        REPOCATE_CACHE_DIR: join(dir, "cache"),
        REPOCATE_DEFAULT_IMAGE: BUSYBOX_IMAGE,
        NO_COLOR: "1",
        ...env,
      },
      stdin: "null",
    }).output();
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
  };
  const name = `cli-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await fn({ run, dir, name });
  } finally {
    await run(["rm", name, "--purge", "--yes"]);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

Deno.test("create, list, enter with an exit code, and a guarded purge, through the CLI", async () => {
  await withCli(async (cli) => {
    const repo = await makeRepo(join(cli.dir, "repos", "demo"), { "README.md": "hi\n" });
    const created = await cli.run(["create", repo, "--name", cli.name, "--json"]);
    assertEquals(created.code, 0, created.stderr);
    assertEquals(JSON.parse(created.stdout).state, "running");

    const listed = await cli.run(["list", "--json"]);
    assertEquals(JSON.parse(listed.stdout).map((e: { name: string }) => e.name), [cli.name]);

    const entered = await cli.run(["enter", cli.name, "--", "sh", "-c", "cat README.md; exit 5"]);
    assertEquals(entered.code, 5);
    assertEquals(entered.stdout, "hi\n");

    const refused = await cli.run(["rm", cli.name, "--purge"]);
    assertEquals(refused.code, 2);
    assertStringIncludes(refused.stderr, "pass --yes to confirm");
    assertEquals(JSON.parse((await cli.run(["list", "--json"])).stdout)[0].state, "running");
  });
});

Deno.test("create without a reachable Docker engine says how to start one, exit 1, nothing made", async () => {
  await withCli(async (cli) => {
    const repo = await makeRepo(join(cli.dir, "repos", "demo"), { "README.md": "hi\n" });
    const failed = await cli.run(["create", repo], {
      DOCKER_HOST: `unix://${cli.dir}/no-engine.sock`,
    });
    assertEquals(failed.code, 1);
    const line = failed.stderr.trim().split("\n").at(-1)!;
    assertStringIncludes(line, "no-engine.sock");
    assertStringIncludes(line.toLowerCase(), "start");
    const listed = await cli.run(["list", "--json"], {
      DOCKER_HOST: `unix://${cli.dir}/no-engine.sock`,
    });
    assertEquals(listed.code, 1);
  });
});

const hasTmux = await new Deno.Command("sh", { args: ["-c", "command -v tmux"], stdout: "null" })
  .output()
  .then((o) => o.success, () => false);

Deno.test({
  name: "enter without a command opens an interactive shell in the workspace (driven through tmux)",
  ignore: !hasTmux && Deno.env.get("CI") !== "true",
  async fn() {
    await withCli(async (cli) => {
      const repo = await makeRepo(join(cli.dir, "repos", "demo"), { "README.md": "hi\n" });
      assertEquals((await cli.run(["create", repo, "--name", cli.name])).code, 0);
      const session = `repocate-test-${crypto.randomUUID().slice(0, 8)}`;
      const env = Object.entries({
        REPOCATE_HOME: join(cli.dir, "home"),
        REPOCATE_CACHE_DIR: join(cli.dir, "cache"),
        DOCKER_HOST: Deno.env.get("DOCKER_HOST") ?? "",
      }).map(([k, v]) => `${k}=${v}`).join(" ");
      const launch = `${join(ROOT, "launch.ts")} --manifest ${join(cli.dir, "plugins.json")}`;
      const command = `env ${env} ${Deno.execPath()} run --quiet --allow-read --allow-env ` +
        `--allow-run ${launch} --no-check enter ${cli.name}; echo repocate exited $?; sleep 60`;
      const tmux = (...args: string[]) =>
        new Deno.Command("tmux", { args, stdout: "piped", stderr: "piped" }).output();
      const started = await tmux(
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "120",
        "-y",
        "30",
        command,
      );
      assertEquals(started.code, 0, new TextDecoder().decode(started.stderr));
      try {
        let screen = "";
        for (let i = 0; i < 100 && !screen.includes("#"); i++) {
          await new Promise((r) => setTimeout(r, 100));
          screen = new TextDecoder().decode(
            (await tmux("capture-pane", "-p", "-t", session)).stdout,
          );
        }
        await tmux("send-keys", "-t", session, "pwd; echo $((6*7)); cat README.md", "Enter");
        for (let i = 0; i < 100 && !screen.includes("42"); i++) {
          await new Promise((r) => setTimeout(r, 100));
          screen = new TextDecoder().decode(
            (await tmux("capture-pane", "-p", "-t", session)).stdout,
          );
        }
        assertStringIncludes(screen, `/workspaces/${cli.name}`, screen);
        assertStringIncludes(screen, "42");
        assertStringIncludes(screen, "hi");
      } finally {
        await tmux("kill-session", "-t", session);
      }
    });
  },
});

Deno.test("a create killed mid-way is finished by the next create: no half-made container stays", async () => {
  await withCli(async (cli) => {
    const repo = await makeRepo(join(cli.dir, "repos", "slow"), {
      ".devcontainer/devcontainer.json": JSON.stringify({
        image: BUSYBOX_IMAGE,
        postCreateCommand: "test -f /root/once || (touch /root/once; sleep 120)",
      }),
    });
    const killed = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--quiet",
        join(ROOT, "main.ts"),
        "--manifest",
        join(cli.dir, "plugins.json"),
        "--no-check",
        "create",
        repo,
        "--name",
        cli.name,
      ],
      env: {
        REPOCATE_HOME: join(cli.dir, "home"),
        REPOCATE_CACHE_DIR: join(cli.dir, "cache"),
        REPOCATE_DEFAULT_IMAGE: BUSYBOX_IMAGE,
      },
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    let listed: { name: string; state: string }[] = [];
    for (let i = 0; i < 600 && listed[0]?.state !== "incomplete"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      listed = JSON.parse((await cli.run(["list", "--json"])).stdout || "[]");
    }
    assertEquals(listed.map((e) => [e.name, e.state]), [[cli.name, "incomplete"]]);
    killed.kill("SIGKILL");
    await killed.status;

    const again = await cli.run(["create", repo, "--name", cli.name, "--json"]);
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(again.stderr, "half-made container of an interrupted create");
    assertEquals(JSON.parse(again.stdout).state, "running");
    const after = JSON.parse((await cli.run(["list", "--json"])).stdout);
    assertEquals(after.map((e: { name: string; state: string }) => [e.name, e.state]), [[
      cli.name,
      "running",
    ]]);
  });
});

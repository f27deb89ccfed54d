/**
 * The environment commands as a user runs them: through the launcher, with the builtin plugins
 * of a sandboxed manifest and the real dockerd; exit statuses and one-line errors.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { fromFileUrl, join } from "@std/path";
import { BUSYBOX_IMAGE } from "./_support/docker_engine.ts";
import { makeRepo } from "./_support/git_fixtures.ts";
import { sandboxManifest } from "./_support/lifecycle.ts";

const ROOT = fromFileUrl(new URL("../", import.meta.url));

interface Cli {
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
        "run",
        "--quiet",
        "--allow-read",
        "--allow-env",
        "--allow-run",
        join(ROOT, "launch.ts"),
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
  try {
    await fn({ run, dir });
  } finally {
    await run(["rm", "demo", "--purge", "--yes"]);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

Deno.test("create, list, enter with an exit code, and a guarded purge, through the CLI", async () => {
  await withCli(async (cli) => {
    const repo = await makeRepo(join(cli.dir, "repos", "demo"), { "README.md": "hi\n" });
    const created = await cli.run(["create", repo, "--json"]);
    assertEquals(created.code, 0, created.stderr);
    assertEquals(JSON.parse(created.stdout).state, "running");

    const listed = await cli.run(["list", "--json"]);
    assertEquals(JSON.parse(listed.stdout).map((e: { name: string }) => e.name), ["demo"]);

    const entered = await cli.run(["enter", "demo", "--", "sh", "-c", "cat README.md; exit 5"]);
    assertEquals(entered.code, 5);
    assertEquals(entered.stdout, "hi\n");

    const refused = await cli.run(["rm", "demo", "--purge"]);
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

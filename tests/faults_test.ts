/**
 * Faults on the real engine: dockerd stopped in the middle of `create` gives a clear error and
 * loses nothing (workspace and volume stay); once the engine is back, the same `create`
 * completes, replacing the half-made container. Stops and restarts the test engine through
 * .ci/docker.sh, so it runs only against that engine (as root, as CI does).
 */
import { assert, assertEquals, assertMatch, assertRejects } from "@std/assert";
import { fromFileUrl, join } from "@std/path";
import { RepocateError } from "../errors.ts";
import { createEnvironment } from "../core/env/create.ts";
import { listEnvironments } from "../core/env/environments.ts";
import { rebuildEnvironment } from "../core/env/rebuild.ts";
import { BUSYBOX_IMAGE } from "./_support/docker_engine.ts";
import { makeRepo } from "./_support/git_fixtures.ts";
import { type Sandbox, withSandbox } from "./_support/lifecycle.ts";

const SCRIPT = fromFileUrl(new URL("../.ci/docker.sh", import.meta.url));
const OURS = "unix:///run/repocate-ci/docker.sock";

async function engine(verb: "start" | "stop"): Promise<void> {
  const out = await new Deno.Command("bash", {
    args: [SCRIPT, verb],
    stdout: "null",
    stderr: "piped",
  })
    .output();
  if (!out.success) throw new Error(`docker.sh ${verb}: ${new TextDecoder().decode(out.stderr)}`);
}

/** A test that stops and restarts the test engine: only against it, restarted however it ends. */
function engineTest(name: string, fn: (s: Sandbox) => Promise<void>): void {
  Deno.test({
    name,
    ignore: Deno.env.get("DOCKER_HOST") !== OURS || Deno.env.get("REPOCATE_SKIP_DOCKER") === "1",
    async fn() {
      try {
        await withSandbox(fn);
      } finally {
        await engine("start");
      }
    },
  });
}

/** Stops the engine once `pending` has reached its postCreateCommand; returns its error. */
async function stopDuringHook(s: Sandbox, pending: Promise<unknown>): Promise<RepocateError> {
  pending.catch(() => {});
  for (let i = 0; i < 300 && !s.progress.some((l) => l.startsWith("postCreateCommand")); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await engine("stop");
  const error = await assertRejects(() => pending, RepocateError);
  assert(!error.message.includes("\n"));
  return error;
}

engineTest(
  "dockerd stopped mid-create: a clear error, workspace and volume kept, and a re-run completes",
  async (s) => {
    const repo = await makeRepo(join(s.repos, "fault"), {
      ".devcontainer/devcontainer.json": JSON.stringify({
        image: BUSYBOX_IMAGE,
        postCreateCommand: "test -f /root/ok || (touch /root/ok; sleep 30)",
      }),
    });
    const name = `fault-${crypto.randomUUID().slice(0, 6)}`;
    const error = await stopDuringHook(
      s,
      createEnvironment(s.services, s.settings, { repo, name }, s.report),
    );
    console.log(`create with the engine stopped: ${error.message}`);
    assertMatch(error.message, /engine|docker/i);
    assert(
      (await Deno.stat(join(s.settings.workspaces, name, ".git"))).isDirectory,
      "workspace kept",
    );

    await engine("start");
    const volumes = await s.services.volumes({ "dev.repocate.name": name });
    assertEquals(volumes.map((v) => v.name), [`repocate-${name}-home`], "home volume kept");
    const done = await createEnvironment(s.services, s.settings, { repo, name }, s.report);
    assertEquals(done.state, "running");
    assert(s.progress.some((l) => l.includes("half-made container")), s.progress.join("\n"));
    assertEquals(
      (await listEnvironments(s.services, s.settings)).map((e) => [e.name, e.state]),
      [[
        name,
        "running",
      ]],
    );
  },
);

engineTest(
  "dockerd stopped mid-rebuild: a clear error, workspace and volume kept, and a re-run completes",
  async (s) => {
    const repo = await makeRepo(join(s.repos, "refault"), {
      ".devcontainer/devcontainer.json": JSON.stringify({
        image: BUSYBOX_IMAGE,
        postCreateCommand: "test -f /root/slow || exit 0; rm /root/slow; sleep 30",
        workspaceFolder: "/workspaces/app",
      }),
    });
    const name = `refault-${crypto.randomUUID().slice(0, 6)}`;
    await createEnvironment(s.services, s.settings, { repo, name }, s.report);
    const workspace = join(s.settings.workspaces, name);
    await Deno.writeTextFile(join(workspace, "work.txt"), "unsaved work\n");
    await s.services.exec({
      id: (await listEnvironments(s.services, s.settings))[0].containerId!,
      cmd: ["sh", "-c", "echo kept > /root/history; touch /root/slow"],
    });

    s.progress.length = 0;
    await stopDuringHook(s, rebuildEnvironment(s.services, s.settings, name, {}, s.report));
    assertEquals(await Deno.readTextFile(join(workspace, "work.txt")), "unsaved work\n");

    await engine("start");
    const again = await rebuildEnvironment(s.services, s.settings, name, {}, s.report);
    assertEquals(again.environment.state, "running");
    const id = again.environment.containerId!;
    const check = await s.services.exec({ id, cmd: ["sh", "-c", "cat /root/history"] });
    assertEquals(check.stdout, "kept\n", "the home volume survived");
    assertEquals((await listEnvironments(s.services, s.settings)).length, 1);
  },
);

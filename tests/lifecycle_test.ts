/**
 * The development-environment lifecycle end to end: real git repositories (local, bare, served
 * over git's smart HTTP on 127.0.0.1), the builtin plugins in their Workers, a real dockerd.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import { join } from "@std/path";
import { RepocateError } from "../errors.ts";
import { createEnvironment } from "../core/env/create.ts";
import { findEnvironment, listEnvironments } from "../core/env/environments.ts";
import { execInEnvironment } from "../core/env/enter.ts";
import {
  listVolumes,
  removeEnvironment,
  rollbackEnvironment,
  snapshotEnvironment,
  startEnvironment,
  stopEnvironment,
} from "../core/env/operations.ts";
import { rebuildEnvironment } from "../core/env/rebuild.ts";
import { BUSYBOX_IMAGE } from "./_support/docker_engine.ts";
import { git, makeBareRepo, makeRepo } from "./_support/git_fixtures.ts";
import { serveGitHttp } from "./_support/git_http_server.ts";
import { type Sandbox, withSandbox } from "./_support/lifecycle.ts";

const sh = (s: Sandbox, env: string, script: string) =>
  execInEnvironment(s.services, s.settings, env, ["sh", "-c", script]);

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("create from a repo with neither config nor Dockerfile uses the default image, mounts the workspace, and stop/start keep it", async () => {
  await withSandbox(async (s) => {
    const repo = await makeRepo(join(s.repos, "plain"), { "README.md": "hello from plain\n" });
    const env = await createEnvironment(s.services, s.settings, { repo }, s.report);
    assertEquals([env.name, env.state, env.image], ["plain", "running", BUSYBOX_IMAGE]);
    assertEquals(env.workspace, join(s.settings.workspaces, "plain"));
    const cat = await sh(s, "plain", "cat README.md; pwd");
    assertEquals(cat, { exitCode: 0, stdout: "hello from plain\n/workspaces/plain\n", stderr: "" });
    assertEquals((await sh(s, "plain", "exit 7")).exitCode, 7);
    assertEquals((await listVolumes(s.services, s.settings)).map((v) => [v.name, v.inUse]), [[
      "repocate-plain-home",
      true,
    ]]);

    assertEquals((await stopEnvironment(s.services, s.settings, "plain")).state, "exited");
    assertEquals((await listEnvironments(s.services, s.settings)).map((e) => [e.name, e.state]), [[
      "plain",
      "exited",
    ]]);
    assertEquals(
      (await startEnvironment(s.services, s.settings, "plain", s.report)).state,
      "running",
    );
  });
});

Deno.test("create from a bare repo served over smart HTTP builds its Dockerfile", async () => {
  await withSandbox(async (s) => {
    const work = await makeRepo(join(s.repos, "work"), {
      "Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo built-by-docker > /built\n`,
      "app.txt": "app\n",
    });
    const served = join(s.repos, "served");
    await Deno.mkdir(served);
    await makeBareRepo(work, join(served, "webapp.git"));
    const server = await serveGitHttp({ root: served });
    try {
      const env = await createEnvironment(s.services, s.settings, {
        repo: `${server.url}/webapp.git`,
      }, s.report);
      assertEquals(env.name, "webapp");
      assertMatch(env.image ?? "", /^repocate\/webapp:[0-9a-f]{12}$/);
      assertEquals((await sh(s, "webapp", "cat /built app.txt")).stdout, "built-by-docker\napp\n");
      assert(
        s.progress.some((l) => l.includes("built-by-docker") || l.includes("Step")),
        s.progress.join("\n"),
      );
    } finally {
      await server.close();
    }
  });
});

Deno.test("a devcontainer.json's forwarded port answers on the host and its postCreateCommand runs once", async () => {
  await withSandbox(async (s) => {
    const repo = await makeRepo(join(s.repos, "web"), {
      "www/index.html": "served from the workspace\n",
      ".devcontainer/devcontainer.json": JSON.stringify({
        image: BUSYBOX_IMAGE,
        forwardPorts: [8080],
        containerEnv: { GREETING: "hi" },
        postCreateCommand: "echo created >> /root/hooks.log",
        postStartCommand: "httpd -p 8080 -h ${containerWorkspaceFolder}/www",
      }),
    });
    const env = await createEnvironment(s.services, s.settings, { repo }, s.report);
    assertEquals(env.ports.length, 1);
    assertEquals(env.ports[0].container, 8080);
    const res = await fetch(`http://127.0.0.1:${env.ports[0].host}/index.html`);
    assertEquals(await res.text(), "served from the workspace\n");
    assertEquals(
      (await sh(s, "web", "echo $GREETING; cat /root/hooks.log")).stdout,
      "hi\ncreated\n",
    );

    await stopEnvironment(s.services, s.settings, "web");
    await startEnvironment(s.services, s.settings, "web", s.report);
    assertEquals(
      (await sh(s, "web", "cat /root/hooks.log")).stdout,
      "created\n",
      "start never re-runs create hooks",
    );
  });
});

Deno.test("a failing postCreateCommand fails create, names the command, shows its output and leaves no container", async () => {
  await withSandbox(async (s) => {
    const repo = await makeRepo(join(s.repos, "broken"), {
      ".devcontainer/devcontainer.json": JSON.stringify({
        image: BUSYBOX_IMAGE,
        postCreateCommand: "echo about to fail; exit 3",
      }),
    });
    const error = await assertRejects(
      () => createEnvironment(s.services, s.settings, { repo }, s.report),
      RepocateError,
    );
    assertStringIncludes(
      error.message,
      "postCreateCommand failed with exit code 3: echo about to fail; exit 3",
    );
    assertStringIncludes(error.message, "about to fail");
    assertEquals((await listEnvironments(s.services, s.settings)).map((e) => [e.name, e.state]), [[
      "broken",
      "missing",
    ]]);
    assert(
      await exists(join(s.settings.workspaces, "broken", ".devcontainer")),
      "the workspace is kept",
    );
  });
});

Deno.test("a failing build shows the log tail and leaves no container behind", async () => {
  await withSandbox(async (s) => {
    const repo = await makeRepo(join(s.repos, "nobuild"), {
      "Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo compiling && false\n`,
    });
    const error = await assertRejects(
      () => createEnvironment(s.services, s.settings, { repo }, s.report),
      RepocateError,
    );
    assertStringIncludes(error.message, "compiling");
    assertEquals((await s.services.containers({ "dev.repocate.name": "nobuild" })).length, 0);
  });
});

Deno.test("rebuild reuses an unchanged image, rebuilds a changed one, and keeps workspace and home volume", async () => {
  await withSandbox(async (s) => {
    const repo = await makeRepo(join(s.repos, "rb"), {
      "Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo v1 > /version\n`,
    });
    await createEnvironment(s.services, s.settings, { repo }, s.report);
    await sh(s, "rb", "echo keep > /root/history; echo draft > notes.txt");

    // notes.txt is in the build context (the repository), so the first rebuild builds anew.
    const first = await rebuildEnvironment(s.services, s.settings, "rb", {}, s.report);
    assertMatch(first.snapshot.id, /^\d{8}T/);
    const same = await rebuildEnvironment(s.services, s.settings, "rb", {}, s.report);
    assertEquals(same.imageRebuilt, false);
    assertEquals(same.environment.image, first.environment.image);

    await Deno.writeTextFile(
      join(s.settings.workspaces, "rb", "Dockerfile"),
      `FROM ${BUSYBOX_IMAGE}\nRUN echo v2 > /version\n`,
    );
    const changed = await rebuildEnvironment(s.services, s.settings, "rb", {}, s.report);
    assertEquals(changed.imageRebuilt, true);
    assertEquals(
      (await sh(s, "rb", "cat /version /root/history notes.txt")).stdout,
      "v2\nkeep\ndraft\n",
    );
  });
});

Deno.test("rm snapshots first and keeps the workspace; rollback restores a snapshot after saving the present", async () => {
  await withSandbox(async (s) => {
    const repo = await makeRepo(join(s.repos, "snap"), { "a.txt": "one\n" });
    await createEnvironment(s.services, s.settings, { repo }, s.report);
    const ws = join(s.settings.workspaces, "snap");
    await Deno.writeTextFile(join(ws, "a.txt"), "two\n");
    await Deno.writeTextFile(join(ws, "new.txt"), "untracked\n");
    const first = await snapshotEnvironment(s.services, s.settings, "snap", "two");
    await Deno.writeTextFile(join(ws, "a.txt"), "three\n");
    await Deno.remove(join(ws, "new.txt"));

    const rolled = await rollbackEnvironment(s.services, s.settings, "snap", first.id);
    assertEquals(await Deno.readTextFile(join(ws, "a.txt")), "two\n");
    assertEquals(await Deno.readTextFile(join(ws, "new.txt")), "untracked\n");
    assert(rolled.safetySnapshot.id !== first.id);
    // Working tree and index both equal the snapshot's tree; HEAD and the branch stay.
    assertEquals((await git(ws, "status", "--porcelain")).trim().split("\n").sort(), [
      "A  new.txt",
      "M  a.txt",
    ]);

    const unknown = await assertRejects(
      () => rollbackEnvironment(s.services, s.settings, "snap", "20200101T000000000Z-abcdef"),
      RepocateError,
    );
    assertStringIncludes(unknown.message, "20200101T000000000Z-abcdef");

    const removed = await removeEnvironment(
      s.services,
      s.settings,
      "snap",
      { purge: false },
      s.report,
    );
    assert(removed.snapshot, "rm snapshots first");
    assertEquals(await Deno.readTextFile(join(ws, "a.txt")), "two\n");
    assertEquals((await findEnvironment(s.services, s.settings, "snap")).state, "missing");
  });
});

Deno.test("two repos with the same base name get distinct names; a taken name is refused", async () => {
  await withSandbox(async (s) => {
    const one = await makeRepo(join(s.repos, "a", "tool"), { "x": "1" });
    const two = await makeRepo(join(s.repos, "b", "tool"), { "x": "2" });
    const first = await createEnvironment(s.services, s.settings, { repo: one }, s.report);
    const second = await createEnvironment(s.services, s.settings, { repo: two }, s.report);
    assertEquals(first.name, "tool");
    assertMatch(second.name, /^tool-[0-9a-f]{6}$/);
    const again = await assertRejects(
      () => createEnvironment(s.services, s.settings, { repo: one }, s.report),
      RepocateError,
    );
    assertStringIncludes(again.message, `environment "tool" for`);
    const bad = await assertRejects(
      () => createEnvironment(s.services, s.settings, { repo: one, name: "../evil" }, s.report),
      RepocateError,
    );
    assertStringIncludes(bad.message, "invalid environment name");
  });
});

Deno.test("two concurrent creates of one repo: one wins, the other fails cleanly", async () => {
  await withSandbox(async (s) => {
    const repo = await makeRepo(join(s.repos, "race"), { "x": "1" });
    const results = await Promise.allSettled([
      createEnvironment(s.services, s.settings, { repo }, s.report),
      createEnvironment(s.services, s.settings, { repo }, s.report),
    ]);
    assertEquals(
      results.filter((r) => r.status === "fulfilled").length,
      1,
      JSON.stringify(results),
    );
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
    assertMatch(
      String(failure.reason.message),
      /being created or changed by another repocate|already exists/,
    );
    assertEquals((await s.services.containers({ "dev.repocate.name": "race" })).length, 1);
  });
});

Deno.test("clone failures are clear and leave nothing behind", async () => {
  await withSandbox(async (s) => {
    const missing = await assertRejects(
      () => createEnvironment(s.services, s.settings, { repo: join(s.repos, "nope") }, s.report),
      RepocateError,
    );
    assertStringIncludes(missing.message, "nope");
    const repo = await makeRepo(join(s.repos, "branchy"), { "x": "1" });
    const branch = await assertRejects(
      () => createEnvironment(s.services, s.settings, { repo, branch: "no-such-branch" }, s.report),
      RepocateError,
    );
    assertStringIncludes(branch.message, "no-such-branch");
    assertEquals(await listEnvironments(s.services, s.settings), []);
  });
});

Deno.test("a container removed behind repocate's back is reported, and rebuild brings it back", async () => {
  await withSandbox(async (s) => {
    const repo = await makeRepo(join(s.repos, "ghost"), { "x": "1" });
    const env = await createEnvironment(s.services, s.settings, { repo }, s.report);
    await s.services.removeContainer(env.containerId!);
    const error = await assertRejects(() => sh(s, "ghost", "true"), RepocateError);
    assertStringIncludes(error.message, "has no container");
    assertStringIncludes(error.message, "repocate rebuild ghost");
    const back = await rebuildEnvironment(s.services, s.settings, "ghost", {}, s.report);
    assertEquals(back.environment.state, "running");
    assertEquals((await sh(s, "ghost", "cat x")).stdout, "1");
  });
});

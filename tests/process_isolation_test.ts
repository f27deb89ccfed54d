/**
 * The builtin plugins run as well in their own processes (`isolation: "process"`) as in Workers:
 * a whole lifecycle against the real engine and real git, every plugin call crossing a pipe.
 */
import { assertEquals, assertMatch } from "@std/assert";
import { join } from "@std/path";
import { createEnvironment } from "../core/env/create.ts";
import { listEnvironments } from "../core/env/environments.ts";
import { execInEnvironment } from "../core/env/enter.ts";
import { removeEnvironment, snapshotEnvironment } from "../core/env/operations.ts";
import { makeRepo } from "./_support/git_fixtures.ts";
import { withSandbox } from "./_support/lifecycle.ts";

Deno.test("create, exec, snapshot and rm with the builtin docker and git plugins as processes", async () => {
  await withSandbox(async (s) => {
    const name = `proc-${crypto.randomUUID().slice(0, 8)}`;
    const repo = await makeRepo(join(s.repos, name), {
      "Dockerfile": "FROM repocate-test/busybox:latest\nRUN echo built > /built\n",
      "README.md": "hello\n",
    });
    const env = await createEnvironment(s.services, s.settings, { repo }, s.report);
    assertEquals([env.name, env.state], [name, "running"]);
    const run = await execInEnvironment(s.services, s.settings, name, [
      "sh",
      "-c",
      "cat /built README.md",
    ]);
    assertEquals(run, { exitCode: 0, stdout: "built\nhello\n", stderr: "" });
    await Deno.writeTextFile(join(env.workspace, "notes.txt"), "kept\n");
    const snapshot = await snapshotEnvironment(s.services, s.settings, name, "by a test");
    assertMatch(JSON.stringify(snapshot), /by a test/);
    assertEquals(
      (await listEnvironments(s.services, s.settings)).map((e) => [e.name, e.state]),
      [[name, "running"]],
    );
    for (const status of s.runtime.host.list()) {
      assertEquals([status.name, status.running, status.isolation], [status.name, true, "process"]);
    }
    const ps = await new Deno.Command("pgrep", { args: ["-f", "process_entry.ts plugin:git"] })
      .output();
    assertMatch(new TextDecoder().decode(ps.stdout), /^\d+/, "the git plugin runs as a process");
    await removeEnvironment(s.services, s.settings, name, { purge: true }, s.report);
    assertEquals(await listEnvironments(s.services, s.settings), []);
  }, { isolation: "process" });
});

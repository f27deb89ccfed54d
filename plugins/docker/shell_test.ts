import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { startInProcess } from "../_testing/in_process.ts";
import { Ops } from "./mod.ts";
import { formatAddress, parseDockerHost } from "./client.ts";
import { DockerPluginError } from "./errors.ts";
import { engineHostArgs, shellCommandArgv } from "./shell.ts";
import {
  BUSYBOX_IMAGE,
  DEBIAN_IMAGE,
  dockerTest,
  TEST_LABEL,
  uniqueName,
} from "../../tests/_support/docker_engine.ts";

const unix = parseDockerHost("unix:///run/x/docker.sock");

Deno.test("engineHostArgs aims the CLI at a unix socket, a TCP engine, or a TLS one", () => {
  assertEquals(engineHostArgs(unix), ["-H", "unix:///run/x/docker.sock"]);
  assertEquals(engineHostArgs(parseDockerHost("tcp://10.0.0.1")), ["-H", "tcp://10.0.0.1:2375"]);
  assertEquals(engineHostArgs(parseDockerHost("tcp://[::1]:23750")), ["-H", "tcp://[::1]:23750"]);
  // The CLI's -H takes tcp:// only; TLS is a flag of its own.
  assertEquals(engineHostArgs(parseDockerHost("https://engine.test")), [
    "-H",
    "tcp://engine.test:2376",
    "--tlsverify",
  ]);
  assertEquals(engineHostArgs(parseDockerHost("tcp://h:1", true)), [
    "-H",
    "tcp://h:1",
    "--tlsverify",
  ]);
});

Deno.test("shellCommandArgv puts the flags before the container and the shell after it", () => {
  assertEquals(
    shellCommandArgv(unix, {
      id: "web",
      user: "dev",
      workdir: "/home/dev",
      env: { A: "1", B: "x y", C: "" },
    }, ["/bin/bash"]),
    [
      "docker",
      "-H",
      "unix:///run/x/docker.sock",
      "exec",
      "-it",
      "-u",
      "dev",
      "-w",
      "/home/dev",
      "-e",
      "A=1",
      "-e",
      "B=x y",
      "-e",
      "C=",
      "web",
      "/bin/bash",
    ],
  );
  assertEquals(
    shellCommandArgv(parseDockerHost("tcp://127.0.0.1:2375"), { id: "c", interactive: false }, [
      "sh",
      "-c",
      "echo a=b",
    ]),
    ["docker", "-H", "tcp://127.0.0.1:2375", "exec", "c", "sh", "-c", "echo a=b"],
  );
});

Deno.test("shellCommandArgv refuses an empty shell and environment names it cannot pass", () => {
  for (
    const [env, shell] of [[{}, []], [{ "A=B": "1" }, ["sh"]], [{ "": "1" }, ["sh"]]] as const
  ) {
    const error = assertThrows(() => shellCommandArgv(unix, { id: "c", env }, shell));
    assertEquals((error as DockerPluginError).code, "invalid_input");
  }
});

/** Runs `argv` (a docker CLI command line) with `DOCKER_HOST` aimed elsewhere, so -H must work. */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test({
  name: "shell-command gives a docker CLI argv that runs in the container on the same engine",
  ...dockerTest,
  async fn() {
    const plugin = await startInProcess(Ops);
    const name = uniqueName("shell");
    const host = formatAddress(parseDockerHost(Deno.env.get("DOCKER_HOST")));
    try {
      await plugin.call("docker.container.create", {
        name,
        image: BUSYBOX_IMAGE,
        labels: { [TEST_LABEL]: name },
      });
      // The container is not running yet: the bash probe fails as the exec would.
      const stopped = await assertRejects(
        () => plugin.call("docker.container.shell-command", { id: name }),
        DockerPluginError,
      );
      assertEquals(stopped.code, "conflict");
      await plugin.call("docker.container.start", { id: name });

      // busybox has no /bin/bash.
      assertEquals(await plugin.call("docker.container.shell-command", { id: name }), {
        argv: ["docker", "-H", host, "exec", "-it", name, "/bin/sh"],
      });

      const { argv } = await plugin.call("docker.container.shell-command", {
        id: name,
        shell: ["sh", "-c", "echo hi; exit 3"],
        interactive: false,
      }) as { argv: string[] };
      assertEquals(argv, ["docker", "-H", host, "exec", name, "sh", "-c", "echo hi; exit 3"]);
      assertEquals(await run(argv), { code: 3, stdout: "hi\n", stderr: "" });

      const flagged = await plugin.call("docker.container.shell-command", {
        id: name,
        user: "dev",
        workdir: "/home/dev",
        env: { GREETING: "hello there", EMPTY: "" },
        shell: ["sh", "-c", 'echo "$GREETING|$EMPTY|$(id -u)|$(pwd)"'],
        interactive: false,
      }) as { argv: string[] };
      assertEquals(await run(flagged.argv), {
        code: 0,
        stdout: "hello there||1000|/home/dev\n",
        stderr: "",
      });
    } finally {
      await plugin.call("docker.container.remove", { id: name }).catch(() => {});
      await plugin.dispose();
    }
  },
});

Deno.test({
  name: "shell-command prefers /bin/bash when the container has it",
  ...dockerTest,
  async fn(t) {
    const plugin = await startInProcess(Ops);
    const name = uniqueName("bash");
    try {
      const image = await plugin.call("docker.image.exists", { ref: DEBIAN_IMAGE }) as {
        exists: boolean;
      };
      if (!image.exists) {
        await t.step({ name: `${DEBIAN_IMAGE} is not built`, ignore: true, fn() {} });
        return;
      }
      await plugin.call("docker.container.create", {
        name,
        image: DEBIAN_IMAGE,
        labels: { [TEST_LABEL]: name },
      });
      await plugin.call("docker.container.start", { id: name });
      const { argv } = await plugin.call("docker.container.shell-command", {
        id: name,
        interactive: false,
      }) as { argv: string[] };
      assertEquals(argv.slice(-2), [name, "/bin/bash"]);
      // The argv runs: bash reads its commands from stdin here, and gets none.
      assertEquals((await run(argv)).code, 0);
    } finally {
      await plugin.call("docker.container.remove", { id: name }).catch(() => {});
      await plugin.dispose();
    }
  },
});

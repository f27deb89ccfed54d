import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { startInProcess } from "../_testing/in_process.ts";
import { Ops } from "./mod.ts";
import { DockerPluginError } from "./errors.ts";
import {
  BUSYBOX_IMAGE,
  dockerTest,
  TEST_LABEL,
  uniqueName,
} from "../../tests/_support/docker_engine.ts";

Deno.test({
  name: "exec returns the exit code with stdout and stderr kept apart",
  ...dockerTest,
  async fn() {
    const plugin = await startInProcess(Ops);
    const name = uniqueName("exec");
    try {
      await plugin.call("docker.container.create", {
        name,
        image: BUSYBOX_IMAGE,
        labels: { [TEST_LABEL]: name },
        env: { FROM_CREATE: "c" },
      });
      await plugin.call("docker.container.start", { id: name });
      assertEquals(
        await plugin.call("docker.container.exec", {
          id: name,
          cmd: ["sh", "-c", "echo out-1; echo err-1 >&2; echo out-2; exit 3"],
        }),
        { exitCode: 3, stdout: "out-1\nout-2\n", stderr: "err-1\n" },
      );
      assertEquals(
        await plugin.call("docker.container.exec", {
          id: name,
          cmd: ["sh", "-c", 'echo "$FROM_CREATE $EXTRA $(id -u) $(pwd)"'],
          env: { EXTRA: "x y" },
          user: "dev",
          workdir: "/home/dev",
        }),
        { exitCode: 0, stdout: "c x y 1000 /home/dev\n", stderr: "" },
      );
      // Large output crosses intact.
      const big = await plugin.call("docker.container.exec", {
        id: name,
        cmd: ["sh", "-c", "seq 1 20000; seq 1 5000 >&2"],
      }) as { stdout: string; stderr: string };
      assertEquals(big.stdout.split("\n").length, 20001);
      assertEquals(big.stderr.split("\n").length, 5001);
      const missing = await plugin.call("docker.container.exec", {
        id: name,
        cmd: ["/no/such/binary"],
      }) as { exitCode: number };
      // The runtime cannot start it: 126 on engine 20.10, 127 on newer ones.
      assert([126, 127].includes(missing.exitCode), `exit code ${missing.exitCode}`);
    } finally {
      await plugin.call("docker.container.remove", { id: name }).catch(() => {});
      await plugin.dispose();
    }
  },
});

Deno.test({
  name: "exec in a stopped container fails as a conflict",
  ...dockerTest,
  async fn() {
    const plugin = await startInProcess(Ops);
    const name = uniqueName("stopped");
    try {
      await plugin.call("docker.container.create", {
        name,
        image: BUSYBOX_IMAGE,
        labels: { [TEST_LABEL]: name },
      });
      const error = await assertRejects(
        () => plugin.call("docker.container.exec", { id: name, cmd: ["true"] }),
        DockerPluginError,
      );
      assertEquals(error.code, "conflict");
      assertStringIncludes(error.message, "is not running");
    } finally {
      await plugin.call("docker.container.remove", { id: name }).catch(() => {});
      await plugin.dispose();
    }
  },
});

Deno.test({
  name: "logs return what the container wrote, stdout and stderr apart, optionally the last lines",
  ...dockerTest,
  async fn() {
    const plugin = await startInProcess(Ops);
    const name = uniqueName("logs");
    try {
      await plugin.call("docker.container.create", {
        name,
        image: BUSYBOX_IMAGE,
        labels: { [TEST_LABEL]: name },
        // stdout and stderr are separate pipes: the sleep keeps their order in the log certain.
        cmd: [
          "sh",
          "-c",
          "for i in 1 2 3; do echo out-$i; done; sleep 0.3; echo err-1 >&2; echo err-2 >&2",
        ],
      });
      await plugin.call("docker.container.start", { id: name });
      for (let i = 0; i < 100; i++) {
        const info = await plugin.call("docker.container.inspect", { id: name }) as {
          running: boolean;
        };
        if (!info.running) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assertEquals(await plugin.call("docker.container.logs", { id: name }), {
        stdout: "out-1\nout-2\nout-3\n",
        stderr: "err-1\nerr-2\n",
      });
      assertEquals(await plugin.call("docker.container.logs", { id: name, tail: 3 }), {
        stdout: "out-3\n",
        stderr: "err-1\nerr-2\n",
      });
    } finally {
      await plugin.call("docker.container.remove", { id: name }).catch(() => {});
      await plugin.dispose();
    }
  },
});

import { assert, assertEquals, assertRejects } from "@std/assert";
import { startInProcess } from "../_testing/in_process.ts";
import { Ops } from "./mod.ts";
import { DockerPluginError } from "./errors.ts";
import type { ContainerInfo, ContainerSummary } from "./containers.ts";
import {
  BUSYBOX_IMAGE,
  dockerTest,
  TEST_LABEL,
  uniqueName,
  withTempDir,
} from "../../tests/_support/docker_engine.ts";

Deno.test({
  name: "a labelled container with a bind mount and a published port runs, lists, stops, restarts",
  ...dockerTest,
  async fn() {
    const plugin = await startInProcess(Ops);
    const name = uniqueName("web");
    const run = uniqueName("run");
    const labels = { [TEST_LABEL]: run, "dev.repocate.role": "web" };
    try {
      await withTempDir(async (dir) => {
        await Deno.writeTextFile(`${dir}/index.html`, `hello from ${name}\n`);
        const { ports: [hostPort] } = await plugin.call("docker.ports.allocate", { count: 1 }) as {
          ports: number[];
        };
        const created = await plugin.call("docker.container.create", {
          name,
          image: BUSYBOX_IMAGE,
          labels,
          env: { GREETING: "hi" },
          mounts: [{ type: "bind", source: dir, target: "/srv", readonly: true }],
          ports: [{ container: 8080, host: hostPort }],
          workdir: "/srv",
        }) as { id: string; name: string };
        assertEquals(created.name, name);
        assertEquals((await inspect(created.id)).state, "created");

        const started = await plugin.call("docker.container.start", { id: name }) as ContainerInfo;
        assertEquals([started.state, started.running], ["running", true]);
        assertEquals(started.ports, [{
          container: 8080,
          protocol: "tcp",
          hostIp: "127.0.0.1",
          host: hostPort,
        }]);
        assertEquals(started.mounts, [{
          type: "bind",
          source: dir,
          target: "/srv",
          readonly: true,
        }]);
        assertEquals(started.labels, labels);
        assertEquals(started.cmd, ["sleep", "infinity"]);
        // Starting a running container is a no-op.
        assertEquals(
          (await plugin.call("docker.container.start", { id: name }) as ContainerInfo).id,
          created.id,
        );

        // Serve the bind-mounted directory on the published port, and fetch it from the host.
        const served = await plugin.call("docker.container.exec", {
          id: name,
          cmd: ["httpd", "-p", "8080", "-h", "/srv"],
        }) as { exitCode: number };
        assertEquals(served.exitCode, 0);
        assertEquals(
          await fetchText(`http://127.0.0.1:${hostPort}/index.html`),
          `hello from ${name}\n`,
        );

        const listed = await plugin.call("docker.container.list", {
          labels: { [TEST_LABEL]: run },
        }) as {
          containers: ContainerSummary[];
        };
        assertEquals(listed.containers.map((c) => [c.id, c.name, c.state, c.image]), [
          [created.id, name, "running", BUSYBOX_IMAGE],
        ]);
        assertEquals(listed.containers[0].ports, started.ports);
        assert(!Number.isNaN(Date.parse(listed.containers[0].created)));
        const other = await plugin.call("docker.container.list", {
          labels: { [TEST_LABEL]: run, "dev.repocate.role": "db" },
        }) as { containers: unknown[] };
        assertEquals(other.containers, []);

        const stopped = await plugin.call("docker.container.stop", { id: name }) as ContainerInfo;
        assertEquals([stopped.state, stopped.running, stopped.exitCode], ["exited", false, 137]);
        assertEquals(
          (await plugin.call("docker.container.stop", { id: name }) as ContainerInfo).state,
          "exited",
        );
        const running = await plugin.call("docker.container.list", {
          labels: { [TEST_LABEL]: run },
          all: false,
        }) as { containers: unknown[] };
        assertEquals(running.containers, []);

        const restarted = await plugin.call("docker.container.restart", {
          id: name,
        }) as ContainerInfo;
        assertEquals(restarted.state, "running");
        assertEquals(restarted.ports[0].host, hostPort);

        assertEquals(await plugin.call("docker.container.remove", { id: name }), { removed: true });
        assertEquals(await plugin.call("docker.container.remove", { id: name }), {
          removed: false,
        });
        const gone = await assertRejects(() => inspect(name), DockerPluginError);
        assertEquals(gone.code, "not_found");
      });
    } finally {
      await plugin.call("docker.container.remove", { id: name }).catch(() => {});
      await plugin.dispose();
    }

    async function inspect(id: string) {
      return await plugin.call("docker.container.inspect", { id }) as ContainerInfo;
    }
  },
});

Deno.test({
  name: "an engine-assigned port shows once the container runs, and errors are plain data",
  ...dockerTest,
  async fn() {
    const plugin = await startInProcess(Ops);
    const name = uniqueName("auto");
    try {
      await plugin.call("docker.container.create", {
        name,
        image: BUSYBOX_IMAGE,
        ports: [{ container: 9000 }],
        labels: { [TEST_LABEL]: name },
      });
      const created = await plugin.call("docker.container.inspect", { id: name }) as ContainerInfo;
      assertEquals(created.ports, [{
        container: 9000,
        protocol: "tcp",
        hostIp: "127.0.0.1",
        host: null,
      }]);
      const started = await plugin.call("docker.container.start", { id: name }) as ContainerInfo;
      assert((started.ports[0].host ?? 0) > 0);
      const clash = await assertRejects(
        () => plugin.call("docker.container.create", { name, image: BUSYBOX_IMAGE }),
        DockerPluginError,
      );
      assertEquals(clash.code, "conflict");
      assert(
        clash.message.startsWith(`docker: create container "${name}": Conflict.`),
        clash.message,
      );
      const noImage = await assertRejects(
        () =>
          plugin.call("docker.container.create", {
            name: `${name}-x`,
            image: "repocate-test/none:0",
          }),
        DockerPluginError,
      );
      assertEquals(noImage.code, "not_found");
    } finally {
      await plugin.call("docker.container.remove", { id: name }).catch(() => {});
      await plugin.dispose();
    }
  },
});

async function fetchText(url: string): Promise<string> {
  let last: unknown;
  for (let i = 0; i < 50; i++) {
    try {
      const response = await fetch(url);
      return await response.text();
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw last;
}

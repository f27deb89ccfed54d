import { assertEquals, assertRejects } from "@std/assert";
import { startInProcess } from "../_testing/in_process.ts";
import { Ops } from "./mod.ts";
import { DockerPluginError } from "./errors.ts";
import type { VolumeInfo } from "./volumes.ts";
import {
  BUSYBOX_IMAGE,
  dockerTest,
  TEST_LABEL,
  uniqueName,
} from "../../tests/_support/docker_engine.ts";

Deno.test({
  name: "volumes are created with labels, listed by label, mounted, and removed",
  ...dockerTest,
  async fn() {
    const plugin = await startInProcess(Ops);
    const run = uniqueName("vols");
    const [a, b] = [uniqueName("vol-a"), uniqueName("vol-b")];
    const user = uniqueName("vol-user");
    try {
      const made = await plugin.call("docker.volume.create", {
        name: a,
        labels: { [TEST_LABEL]: run, role: "data" },
      }) as VolumeInfo;
      assertEquals([made.name, made.driver, made.labels], [a, "local", {
        [TEST_LABEL]: run,
        role: "data",
      }]);
      await plugin.call("docker.volume.create", { name: b, labels: { [TEST_LABEL]: run } });
      const listed = await plugin.call("docker.volume.list", { labels: { [TEST_LABEL]: run } }) as {
        volumes: VolumeInfo[];
      };
      assertEquals(listed.volumes.map((v) => v.name), [a, b].sort());
      const data = await plugin.call("docker.volume.list", {
        labels: { [TEST_LABEL]: run, role: "data" },
      }) as { volumes: VolumeInfo[] };
      assertEquals(data.volumes.map((v) => v.name), [a]);

      // A volume keeps what one container wrote for the next.
      for (
        const [i, cmd] of [["sh", "-c", "echo kept > /data/file"], ["cat", "/data/file"]].entries()
      ) {
        const name = `${user}-${i}`;
        await plugin.call("docker.container.create", {
          name,
          image: BUSYBOX_IMAGE,
          labels: { [TEST_LABEL]: run },
          mounts: [{ type: "volume", source: a, target: "/data" }],
        });
        await plugin.call("docker.container.start", { id: name });
        const result = await plugin.call("docker.container.exec", { id: name, cmd });
        assertEquals(result, { exitCode: 0, stdout: i === 0 ? "" : "kept\n", stderr: "" });
      }
      const busy = await assertRejects(
        () => plugin.call("docker.volume.remove", { name: a }),
        DockerPluginError,
      );
      assertEquals(busy.code, "conflict");
      await plugin.call("docker.container.remove", { id: `${user}-0` });
      await plugin.call("docker.container.remove", { id: `${user}-1` });
      assertEquals(await plugin.call("docker.volume.remove", { name: a }), { removed: true });
      assertEquals(await plugin.call("docker.volume.remove", { name: a }), { removed: false });
    } finally {
      for (const id of [`${user}-0`, `${user}-1`]) {
        await plugin.call("docker.container.remove", { id }).catch(() => {});
      }
      for (const name of [a, b]) {
        await plugin.call("docker.volume.remove", { name, force: true }).catch(() => {});
      }
      await plugin.dispose();
    }
  },
});

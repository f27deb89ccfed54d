import { assert, assertEquals } from "@std/assert";
import { startInProcess } from "../_testing/in_process.ts";
import { Ops } from "./mod.ts";
import type { ContainerInfo } from "./containers.ts";
import { createOptions, KEEP_ALIVE_CMD } from "./create.ts";
import {
  BUSYBOX_IMAGE,
  dockerTest,
  TEST_LABEL,
  uniqueName,
} from "../../tests/_support/docker_engine.ts";

Deno.test("createOptions leaves host settings to the engine unless given", () => {
  const options = createOptions({ name: "c", image: "i" });
  assertEquals(options.HostConfig, { Mounts: [], PortBindings: {} });
  assertEquals([options.Cmd, options.StopSignal], [KEEP_ALIVE_CMD, "SIGKILL"]);
  const withCmd = createOptions({ name: "c", image: "i", cmd: ["sh"] });
  assertEquals([withCmd.Cmd, withCmd.StopSignal], [["sh"], undefined]);
});

Deno.test("createOptions maps capAdd, securityOpt, privileged, init, network and stopSignal", () => {
  const options = createOptions({
    name: "c",
    image: "i",
    capAdd: ["SYS_PTRACE"],
    securityOpt: ["seccomp=unconfined"],
    privileged: false,
    init: true,
    network: "host",
    stopSignal: "SIGINT",
  });
  assertEquals(options.HostConfig, {
    Mounts: [],
    PortBindings: {},
    CapAdd: ["SYS_PTRACE"],
    SecurityOpt: ["seccomp=unconfined"],
    Privileged: false,
    Init: true,
    NetworkMode: "host",
  });
  // An explicit stop signal wins over the keep-alive default.
  assertEquals([options.Cmd, options.StopSignal], [KEEP_ALIVE_CMD, "SIGINT"]);
});

Deno.test({
  name: "capAdd, securityOpt, init, network and stopSignal reach the running container",
  ...dockerTest,
  async fn() {
    const plugin = await startInProcess(Ops);
    const name = uniqueName("hostcfg");
    try {
      await plugin.call("docker.container.create", {
        name,
        image: BUSYBOX_IMAGE,
        labels: { [TEST_LABEL]: name },
        capAdd: ["NET_ADMIN"],
        securityOpt: ["no-new-privileges"],
        init: true,
        network: "none",
        stopSignal: "SIGTERM",
      });
      const info = await plugin.call("docker.container.start", { id: name }) as ContainerInfo;
      assertEquals(
        [info.capAdd, info.securityOpt, info.privileged, info.init, info.networkMode],
        [["NET_ADMIN"], ["no-new-privileges"], false, true, "none"],
      );
      assertEquals([info.stopSignal, info.cmd], ["SIGTERM", KEEP_ALIVE_CMD]);
      // And the container shows them: init as PID 1, NET_ADMIN (bit 12) effective, no new
      // privileges, no network but loopback.
      const seen = await plugin.call("docker.container.exec", {
        id: name,
        cmd: [
          "sh",
          "-c",
          "cat /proc/1/comm; " +
          "echo $(( 0x$(grep CapEff /proc/self/status | cut -f2) >> 12 & 1 )); " +
          "grep NoNewPrivs /proc/self/status | cut -f2; ls /sys/class/net",
        ],
      });
      assertEquals(seen, { exitCode: 0, stdout: "docker-init\n1\n1\nlo\n", stderr: "" });
      // SIGTERM reaches the keep-alive sleep through the init process: it ends by SIGTERM
      // (exit 143), not by the SIGKILL the engine sends after the stop timeout (137).
      const stopped = await plugin.call("docker.container.stop", { id: name }) as ContainerInfo;
      assertEquals(stopped.exitCode, 143);
    } finally {
      await plugin.call("docker.container.remove", { id: name }).catch(() => {});
      await plugin.dispose();
    }
  },
});

Deno.test({
  name: "privileged reaches the container's host config; defaults stay off",
  ...dockerTest,
  async fn() {
    const plugin = await startInProcess(Ops);
    const privileged = uniqueName("priv");
    const plain = uniqueName("plain");
    try {
      // Created only: a privileged container may not start where dockerd itself is confined.
      for (const [name, extra] of [[privileged, { privileged: true }], [plain, {}]] as const) {
        await plugin.call("docker.container.create", {
          name,
          image: BUSYBOX_IMAGE,
          labels: { [TEST_LABEL]: name },
          ...extra,
        });
      }
      const on = await plugin.call("docker.container.inspect", { id: privileged }) as ContainerInfo;
      assertEquals([on.privileged, on.stopSignal], [true, "SIGKILL"]);
      const off = await plugin.call("docker.container.inspect", { id: plain }) as ContainerInfo;
      assertEquals(
        [off.capAdd, off.securityOpt, off.privileged, off.init],
        [[], [], false, false],
      );
      assert(off.networkMode === "default" || off.networkMode === "bridge", off.networkMode);
    } finally {
      for (const id of [privileged, plain]) {
        await plugin.call("docker.container.remove", { id }).catch(() => {});
      }
      await plugin.dispose();
    }
  },
});

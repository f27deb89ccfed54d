import { assert, assertEquals, assertMatch, assertRejects } from "@std/assert";
import { PLUGIN_API_VERSION } from "../../interfaces.ts";
import { startInProcess } from "../_testing/in_process.ts";
import { createDockerOps, Ops } from "./mod.ts";
import { DockerPluginError } from "./errors.ts";
import { createClient } from "./loader.ts";
import { denoEnv } from "./client.ts";
import {
  BUSYBOX_IMAGE,
  dockerTest,
  TEST_LABEL,
  uniqueName,
} from "../../tests/_support/docker_engine.ts";

/** An environment with only DOCKER_HOST set. */
const hostEnv = (value: string) => (name: string) => name === "DOCKER_HOST" ? value : undefined;

Deno.test("Ops names the plugin, its version and the API version it speaks", () => {
  assertEquals([Ops.name, Ops.version, Ops.apiVersion], ["docker", "0.1.0", PLUGIN_API_VERSION]);
});

Deno.test("every action has a description and a closed input schema", async () => {
  const plugin = await startInProcess(createDockerOps(hostEnv("unix:///nowhere.sock")));
  try {
    assert(plugin.actions.size >= 20);
    for (const [name, action] of plugin.actions) {
      assertMatch(name, /^docker\.[a-z]+(\.[a-z]+(-[a-z]+)*)?$/);
      assert(action.description.length > 10 && !action.description.includes("\n"), name);
      assertEquals(action.inputSchema.type, "object", name);
      assertEquals(action.inputSchema.additionalProperties, false, name);
      assert(Array.isArray(action.inputSchema.required), name);
    }
    assertEquals(plugin.items.get("engine/docker")?.metadata, { host: "unix:///nowhere.sock" });
  } finally {
    await plugin.dispose();
  }
});

Deno.test("config.host overrides DOCKER_HOST", async () => {
  const plugin = await startInProcess(
    createDockerOps(hostEnv("unix:///from-env.sock")),
    { host: "tcp://127.0.0.1:1" },
  );
  assertEquals(plugin.items.get("engine/docker")?.metadata, { host: "tcp://127.0.0.1:1" });
  await plugin.dispose();
});

Deno.test("an unreachable engine fails with the address tried and how to start one", async () => {
  const socket = `/tmp/repocate-no-engine-${crypto.randomUUID()}.sock`;
  const plugin = await startInProcess(createDockerOps(hostEnv(`unix://${socket}`)));
  try {
    const error = await assertRejects(() => plugin.call("docker.ping"), DockerPluginError);
    assertEquals(error.code, "unreachable");
    assertMatch(error.message, new RegExp(`cannot reach the Docker engine at unix://${socket}`));
    assertMatch(error.message, /\.ci\/docker\.sh start/);
  } finally {
    await plugin.dispose();
  }
});

Deno.test("an engine that refuses TCP connections is reported the same way", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const plugin = await startInProcess(createDockerOps(hostEnv("")), {
    host: `tcp://127.0.0.1:${port}`,
  });
  try {
    const error = await assertRejects(() => plugin.call("docker.ping"), DockerPluginError);
    assertEquals(error.code, "unreachable");
    assertMatch(error.message, new RegExp(`tcp://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED`));
  } finally {
    await plugin.dispose();
  }
});

Deno.test({
  name: "docker.ping reaches the engine in DOCKER_HOST and reports its version",
  ...dockerTest,
  async fn() {
    const plugin = await startInProcess(Ops);
    try {
      const answer = await plugin.call("docker.ping") as Record<string, unknown>;
      assertEquals(answer.ok, true);
      assertEquals(answer.host, Deno.env.get("DOCKER_HOST") ?? "unix:///var/run/docker.sock");
      assertMatch(String(answer.apiVersion), /^1\.\d+$/);
      assertEquals(JSON.parse(JSON.stringify(answer)), answer);
    } finally {
      await plugin.dispose();
    }
  },
});

Deno.test("the input schemas compile as draft 2020-12 and accept or refuse as documented", async () => {
  const { Ajv2020 } = await import("ajv/dist/2020.js");
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const plugin = await startInProcess(createDockerOps(hostEnv("unix:///nowhere.sock")));
  try {
    const validators = new Map(
      [...plugin.actions].map(([name, action]) => [name, ajv.compile(action.inputSchema)]),
    );
    const accepts = (name: string, input: unknown) => validators.get(name)!(input);
    assert(accepts("docker.ping", {}));
    assert(accepts("docker.container.create", {
      name: "web-1",
      image: "busybox",
      labels: { a: "b" },
      env: { K: "v" },
      mounts: [{ type: "bind", source: "/src", target: "/srv", readonly: true }],
      ports: [{ container: 80 }, { container: 53, host: 5353, protocol: "udp" }],
      workdir: "/srv",
      cmd: ["sh"],
    }));
    assert(accepts("docker.container.create", {
      name: "dev",
      image: "debian",
      capAdd: ["SYS_PTRACE"],
      securityOpt: ["seccomp=unconfined"],
      privileged: false,
      init: true,
      network: "host",
      stopSignal: "SIGTERM",
    }));
    assert(!accepts("docker.container.create", { name: "web", image: "x", extra: 1 }));
    assert(!accepts("docker.container.create", { name: "web", image: "x", capAdd: "ALL" }));
    assert(!accepts("docker.container.create", { name: "web", image: "x", init: "yes" }));
    assert(!accepts("docker.container.create", { name: "web", image: "x", network: "" }));
    assert(!accepts("docker.container.create", { name: "-bad", image: "x" }));
    assert(
      !accepts("docker.container.create", {
        name: "web",
        image: "x",
        mounts: [{ type: "tmpfs", source: "a", target: "/b" }],
      }),
    );
    assert(accepts("docker.image.build", { context: "/ctx", tag: "t:1", buildArgs: { A: "1" } }));
    assert(!accepts("docker.image.build", { context: "relative", tag: "t" }));
    assert(!accepts("docker.image.build", { context: "/ctx" }));
    assert(accepts("docker.container.exec", { id: "c", cmd: ["true"], env: { A: "1" } }));
    assert(!accepts("docker.container.exec", { id: "c", cmd: [] }));
    assert(accepts("docker.container.shell-command", { id: "c" }));
    assert(accepts("docker.container.shell-command", {
      id: "c",
      user: "dev",
      workdir: "/w",
      env: { A: "1" },
      shell: ["/bin/zsh", "-l"],
      interactive: false,
    }));
    assert(!accepts("docker.container.shell-command", { id: "c", env: { "A=B": "1" } }));
    assert(!accepts("docker.container.shell-command", { id: "c", shell: [] }));
    assert(!accepts("docker.container.shell-command", { id: "c", workdir: "w" }));
    assert(!accepts("docker.container.shell-command", { cmd: ["sh"] }));
    assert(!accepts("docker.ports.allocate", { count: 0 }));
    assert(accepts("docker.container.list", {}));
    assert(!accepts("docker.container.list", { labels: { a: 1 } }));
  } finally {
    await plugin.dispose();
  }
});

Deno.test({
  name: "dockerode loads on the first action that needs it, once, never for ping, list or inspect",
  ...dockerTest,
  async fn() {
    let loads = 0;
    const plugin = await startInProcess(createDockerOps(denoEnv, (address, env) => {
      loads++;
      return createClient(address, env);
    }));
    try {
      const none = { labels: { [TEST_LABEL]: uniqueName("none") } };
      await plugin.call("docker.ping");
      assertEquals(await plugin.call("docker.container.list", none), { containers: [] });
      assertEquals(await plugin.call("docker.image.exists", { ref: BUSYBOX_IMAGE }), {
        exists: true,
      });
      const missing = await assertRejects(
        () => plugin.call("docker.container.inspect", { id: uniqueName("none") }),
        DockerPluginError,
      );
      assertEquals(missing.code, "not_found");
      assertEquals(loads, 0);
      const lists = await Promise.all([
        plugin.call("docker.volume.list", none),
        plugin.call("docker.volume.list", none),
      ]);
      assertEquals(lists, [{ volumes: [] }, { volumes: [] }]);
      assertEquals(loads, 1);
    } finally {
      await plugin.dispose();
    }
  },
});

Deno.test("a failed dockerode load fails that call, and the next call tries again", async () => {
  let loads = 0;
  const plugin = await startInProcess(createDockerOps(hostEnv("unix:///nowhere.sock"), () => {
    loads++;
    return Promise.reject(new Error("cannot load dockerode"));
  }));
  try {
    for (const expected of [1, 2]) {
      const error = await assertRejects(
        () => plugin.call("docker.volume.list", {}),
        DockerPluginError,
      );
      assertEquals([error.code, error.message], [
        "engine_error",
        "docker: list volumes: cannot load dockerode",
      ]);
      assertEquals(loads, expected);
    }
  } finally {
    await plugin.dispose();
  }
});

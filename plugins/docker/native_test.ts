import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import querystring from "node:querystring";
import { denoEnv, type EngineAddress, parseDockerHost } from "./client.ts";
import { createClient } from "./loader.ts";
import { Engine } from "./engine.ts";
import { encodeQuery, isPlainPath } from "./native.ts";
import {
  createContainer,
  inspectContainer,
  listContainers,
  removeContainer,
  startContainer,
  stopContainer,
} from "./containers.ts";
import { imageExists, inspectImage } from "./images.ts";
import { pingEngine } from "./ping.ts";
import { DockerPluginError } from "./errors.ts";
import {
  BUSYBOX_IMAGE,
  dockerTest,
  TEST_LABEL,
  uniqueName,
} from "../../tests/_support/docker_engine.ts";

/** The same engine twice: reads through the native path, and everything through dockerode. */
function enginePair(address: EngineAddress) {
  const loads = { native: 0 };
  const native = new Engine(address, () => {
    loads.native++;
    return createClient(address, denoEnv);
  });
  const dockerode = new Engine(address, () => createClient(address, denoEnv), { native: false });
  return { native, dockerode, loads };
}

/** The engine in DOCKER_HOST. */
const engineAddress = () => parseDockerHost(Deno.env.get("DOCKER_HOST"));

/** What a call threw, as plain data to compare. */
async function failure(fn: () => Promise<unknown>) {
  const error = await assertRejects(fn, DockerPluginError);
  return { code: error.code, message: error.message, statusCode: error.statusCode };
}

Deno.test("queries are encoded as docker-modem encodes them", () => {
  const filters = { label: ["dev.repocate.test=a b", "x=ü&?"] };
  assertEquals(
    encodeQuery({ all: true, filters }),
    querystring.stringify({ all: true, filters: JSON.stringify(filters) }),
  );
  assertEquals(
    encodeQuery({ all: false, n: 3, list: ["a", "b c"] }),
    "all=false&n=3&list=a&list=b%20c",
  );
  assertEquals(encodeQuery({}), "");
});

Deno.test("only printable ASCII paths go on the native request line", () => {
  assert(isPlainPath("/containers/rct-web-1/json"));
  assert(isPlainPath("/images/repocate-test/busybox:latest/json"));
  assert(!isPlainPath("/containers/a b/json"));
  assert(!isPlainPath("/containers/a\r\nX: y/json"));
  assert(!isPlainPath("/images/ünï/json"));
});

Deno.test({
  name: "list, inspect, image and ping answers are the same through both paths",
  ...dockerTest,
  async fn() {
    const { native, dockerode, loads } = enginePair(engineAddress());
    const run = uniqueName("native");
    const labels = { [TEST_LABEL]: run };
    const names = ["created", "running", "exited"].map((state) => uniqueName(state));
    try {
      for (const [i, name] of names.entries()) {
        await createContainer(dockerode, {
          name,
          image: BUSYBOX_IMAGE,
          labels: { ...labels, "dev.repocate.role": i === 1 ? "web" : "other" },
          env: { N: String(i) },
          ports: [{ container: 9000 + i }, { container: 53, protocol: "udp" }],
          workdir: "/tmp",
        });
      }
      await startContainer(dockerode, names[1]);
      await startContainer(dockerode, names[2]);
      await stopContainer(dockerode, names[2]);

      const gather = async (engine: Engine) => ({
        all: await listContainers(engine, labels),
        running: await listContainers(engine, labels, false),
        web: await listContainers(engine, { ...labels, "dev.repocate.role": "web" }),
        none: await listContainers(engine, { [TEST_LABEL]: `${run}-none` }),
        byName: await Promise.all(names.map((name) => inspectContainer(engine, name))),
        image: await inspectImage(engine, BUSYBOX_IMAGE),
        exists: [
          await imageExists(engine, BUSYBOX_IMAGE),
          await imageExists(engine, "repocate-test/none:0"),
        ],
        ping: await pingEngine(engine),
      });
      const viaNative = await gather(native);
      assertEquals(viaNative, await gather(dockerode));
      assertEquals(loads.native, 0, "the native engine never loaded dockerode");

      assertEquals(
        viaNative.all.map((c) => `${c.name} ${c.state}`).sort(),
        [`${names[0]} created`, `${names[1]} running`, `${names[2]} exited`].sort(),
      );
      assertEquals(viaNative.running.map((c) => c.name), [names[1]]);
      assertEquals(viaNative.web.map((c) => c.name), [names[1]]);
      assertEquals(viaNative.none, []);
      assertEquals(viaNative.exists, [true, false]);
      assertEquals(viaNative.byName[2].exitCode, 137);
      for (const info of viaNative.byName) {
        assertEquals(await inspectContainer(native, info.id), info);
      }
    } finally {
      for (const name of names) await removeContainer(dockerode, name).catch(() => {});
    }
  },
});

Deno.test({
  name: "an unknown container or image is not_found with the engine's message on both paths",
  ...dockerTest,
  async fn() {
    const { native, dockerode } = enginePair(engineAddress());
    const id = uniqueName("missing");
    const both = async (fn: (engine: Engine) => Promise<unknown>) => {
      const viaNative = await failure(() => fn(native));
      assertEquals(viaNative, await failure(() => fn(dockerode)));
      return viaNative;
    };
    assertEquals(await both((engine) => inspectContainer(engine, id)), {
      code: "not_found",
      message: `docker: inspect container "${id}": No such container: ${id}`,
      statusCode: 404,
    });
    const image = await both((engine) => inspectImage(engine, "repocate-test/none:0"));
    assertEquals([image.code, image.statusCode], ["not_found", 404]);
    assertStringIncludes(image.message, 'docker: inspect image "repocate-test/none:0": ');
    // Not a plain path: served by dockerode on both engines.
    await both((engine) => inspectContainer(engine, "no such id"));
  },
});

Deno.test("a socket that is not there is unreachable, the same on both paths", async () => {
  const socketPath = `/tmp/repocate-no-engine-${crypto.randomUUID()}.sock`;
  await sameUnreachable({ kind: "unix", socketPath }, `ENOENT: connect ENOENT ${socketPath}`);
});

Deno.test("a stopped TCP listener is unreachable, the same on both paths", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await sameUnreachable(
    { kind: "tcp", host: "127.0.0.1", port, tls: false },
    `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}`,
  );
});

Deno.test("a socket whose listener was killed is unreachable, the same on both paths", async () => {
  const socketPath = `/tmp/repocate-dead-engine-${crypto.randomUUID()}.sock`;
  // A killed process leaves its socket file behind, with nobody listening.
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      // Held in a global so nothing closes it before the kill (a closed listener's file goes).
      `globalThis.held = Deno.listen({ transport: "unix", path: ${JSON.stringify(socketPath)} });` +
      `console.log("ready"); setInterval(() => {}, 60_000);`,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    assertEquals((await reader.read()).value?.trim(), "ready");
    reader.releaseLock();
    child.kill("SIGKILL");
    await child.status;
    await child.stdout.cancel().catch(() => {});
    await Deno.stat(socketPath);
    await sameUnreachable(
      { kind: "unix", socketPath },
      `ECONNREFUSED: connect ECONNREFUSED ${socketPath}`,
    );
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await Deno.remove(socketPath).catch(() => {});
  }
});

Deno.test("an engine that hangs up without answering is unreachable, the same on both paths", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const serving = (async () => {
    for await (const conn of listener) conn.close();
  })();
  try {
    await sameUnreachable(
      { kind: "tcp", host: "127.0.0.1", port, tls: false },
      "ECONNRESET: socket hang up",
    );
  } finally {
    listener.close();
    await serving.catch(() => {});
  }
});

/** Ping, list and inspect fail alike on both paths, as `unreachable` giving `reason`. */
async function sameUnreachable(address: EngineAddress, reason: string) {
  const { native, dockerode } = enginePair(address);
  const calls: ((engine: Engine) => Promise<unknown>)[] = [
    (engine) => pingEngine(engine),
    (engine) => listContainers(engine, { [TEST_LABEL]: "x" }),
    (engine) => inspectContainer(engine, "web"),
    (engine) => imageExists(engine, BUSYBOX_IMAGE),
  ];
  for (const call of calls) {
    const viaNative = await failure(() => call(native));
    assertEquals(viaNative, await failure(() => call(dockerode)));
    assertEquals(viaNative.code, "unreachable");
    assertStringIncludes(viaNative.message, `(${reason}). Start a Docker engine`);
  }
}

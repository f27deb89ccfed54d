/**
 * The live view against the real engine seen through a relay this test controls
 * (tests/_support/engine_relay.ts):
 * - it never claims to be current while Docker's event stream is broken: cut the relay (as an
 *   engine restart does) and the view stops being live and its container items go; once the
 *   relay is back the watch resubscribes and the view is fed again, with changes made meanwhile;
 * - a change the service made itself is listed as soon as it is reported, even while the
 *   events that would tell the view about it are held back; the change is a stop that waits out
 *   the engine's 10 s stop timeout (a `sleep` as PID 1 ignores SIGTERM), which the docker plugin
 *   once cut off as "socket hang up".
 */
import { assert, assertEquals } from "@std/assert";
import { join } from "@std/path";
import { openRuntime, type Runtime } from "../core/runtime.ts";
import { OperationStore } from "../core/operations.ts";
import { Services } from "../core/env/services.ts";
import { type EnvSettings, envSettings } from "../core/env/settings.ts";
import { EnvironmentView } from "../core/env/view.ts";
import { createApp } from "../http/app.ts";
import { BUSYBOX_IMAGE, dockerTest, environmentContainerArgs } from "./_support/docker_engine.ts";
import { type EngineRelay, engineRelay } from "./_support/engine_relay.ts";
import { sandboxManifest } from "./_support/lifecycle.ts";

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting until ${what}`);
}

async function docker(...args: string[]): Promise<string> {
  const out = await new Deno.Command("docker", { args, stderr: "piped", stdout: "piped" }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim();
}

interface RelayedView {
  relay: EngineRelay;
  runtime: Runtime;
  settings: EnvSettings;
  view: EnvironmentView;
  /** The name of the test's environment. */
  name: string;
  /** `docker create` of the environment's container, labelled as repocate labels it. */
  createContainer(...command: string[]): Promise<string>;
  /** The environment's state as the view lists it. */
  stateOf(): Promise<string | undefined>;
}

/** Runs `fn` with the builtin docker plugin reaching the engine through a relay, and a view. */
async function withRelayedView(fn: (r: RelayedView) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-relay-" });
  const socket = join(dir, "engine.sock");
  const home = join(dir, "home");
  const settings = envSettings({ home, defaultImage: BUSYBOX_IMAGE });
  const relay = engineRelay(socket);
  relay.start();
  const runtime = await openRuntime({
    manifestFile: await sandboxManifest(dir, home, { only: ["docker"], dockerSocket: socket }),
    cacheDir: join(dir, "cache"),
    typeCheck: false,
  });
  const name = `relay-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.mkdir(join(settings.workspaces, name), { recursive: true });
    const view = await EnvironmentView.start(
      new Services(runtime.registry),
      runtime.registry,
      settings,
    );
    assert(view, "the docker plugin's watch started");
    await until("the view is live", () => view.live);
    await fn({
      relay,
      runtime,
      settings,
      view,
      name,
      createContainer: (...command) =>
        docker(
          "create",
          ...environmentContainerArgs(name, settings.workspaces),
          BUSYBOX_IMAGE,
          ...command,
        ),
      stateOf: async () => (await view.list()).find((e) => e.name === name)?.state,
    });
  } finally {
    relay.releaseEvents();
    await docker("rm", "-f", `repocate-${name}`).catch(() => {});
    await runtime.close();
    relay.cut();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

Deno.test({
  ...dockerTest,
  name: "a broken event stream takes the view off-line until the watch has resubscribed",
  async fn() {
    await withRelayedView(async ({ relay, runtime, view, name, createContainer, stateOf }) => {
      await createContainer("true");
      await until("the view shows the container", async () => (await stateOf()) === "created");

      relay.cut();
      await until("the view is off-line", () => !view.live);
      assertEquals(runtime.registry.listItems("container"), [], "no stale container items");
      // Changed while the view cannot see it.
      await docker("rm", "-f", `repocate-${name}`);

      relay.start();
      await until("the watch has resubscribed", () => view.live);
      assertEquals(await stateOf(), "missing", "the change made while off-line shows");
      await createContainer("true");
      await until("events flow again", async () => (await stateOf()) === "created");
    });
  },
});

Deno.test({
  ...dockerTest,
  name: "a slow stop the service made is listed when it is reported, though its events are late",
  async fn() {
    await withRelayedView(async ({ relay, runtime, settings, view, name, createContainer }) => {
      // Ignores SIGTERM (PID 1 without a handler): a stop waits out the engine's 10 s timeout.
      await createContainer("sleep", "600");
      await docker("start", `repocate-${name}`);
      const app = createApp({
        runtime,
        settings,
        view,
        operations: new OperationStore(),
        auth: { token: null },
      });
      const listed = async () => {
        const res = await app.request("/v1/environments");
        assertEquals(res.status, 200);
        return ((await res.json()) as { name: string; state: string }[])
          .find((e) => e.name === name)?.state;
      };
      await until("the view shows it running", async () => (await listed()) === "running");

      relay.holdEvents();
      // Behind the service's back, with events held: the view cannot know (it is not asked to).
      await docker("pause", `repocate-${name}`);
      await docker("unpause", `repocate-${name}`);
      const stop = await app.request(`/v1/environments/${name}/stop`, { method: "POST" });
      assertEquals(stop.status, 200, await stop.clone().text());
      assertEquals((await stop.json()).state, "exited");
      assertEquals(await listed(), "exited", "the list shows the stop it was told is done");

      relay.releaseEvents();
      // The held events (pause, unpause, kill, die, stop) arrive late and change nothing.
      await new Promise((r) => setTimeout(r, 300));
      assertEquals(await listed(), "exited");
      assert(view.live);
    });
  },
});

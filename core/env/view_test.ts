/**
 * The live view over a real registry fed as the docker plugin feeds it (`container` items of the
 * plugin that owns `docker.container.watch`) and a real workspace folder: the kept JSON text and
 * its tag, recomputed on container events only, and the watch restarted after a plugin reload.
 */
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { join } from "@std/path";
import { Registry } from "../../registry/mod.ts";
import type { JsonObject } from "../../interfaces.ts";
import { Services } from "./services.ts";
import { envSettings } from "./settings.ts";
import { EnvironmentView } from "./view.ts";

const OWNER = "docker";

function container(settings: ReturnType<typeof envSettings>, name: string, state = "running") {
  const id = `${name}-id`.padEnd(64, "0");
  const metadata: JsonObject = {
    id,
    name: `/repocate-${name}`,
    state,
    image: `repocate/${name}:0123456789ab`,
    labels: {
      "dev.repocate.managed": "true",
      "dev.repocate.name": name,
      "dev.repocate.repo": `/repos/${name}`,
      "dev.repocate.workspace": join(settings.workspaces, name),
    },
    ports: [],
    created: "2024-01-01T00:00:00.000Z",
  };
  return { kind: "container", name: id, metadata };
}

/** A registry with the watch action of `docker`, and a view over it in a fresh home. */
async function fixture() {
  const home = await Deno.makeTempDir({ prefix: "repocate-view-" });
  const settings = envSettings({ home });
  await Deno.mkdir(settings.workspaces, { recursive: true });
  const registry = new Registry();
  const watches: string[] = [];
  const registerPlugin = (owner: string) =>
    registry.registerBatch(owner, {
      items: [],
      actions: [{
        name: "docker.container.watch",
        description: "watch",
        inputSchema: { type: "object" },
        invoke: () => {
          watches.push(owner);
          // What the docker plugin's watch holds while its event stream is open.
          registry.registerBatch(owner, {
            items: [{ kind: "container-view", name: "live", metadata: {} }],
            actions: [],
          });
          return Promise.resolve({ watching: true });
        },
      }],
    });
  registerPlugin(OWNER);
  const view = await EnvironmentView.start(new Services(registry), registry, settings);
  assert(view, "the view starts when the watch action is there");
  const publish = (name: string, state?: string, owner = OWNER) =>
    registry.registerBatch(owner, { items: [container(settings, name, state)], actions: [] });
  const remove = (name: string, owner = OWNER) =>
    registry.unregisterItem(owner, "container", container(settings, name).name);
  return {
    settings,
    registry,
    view,
    watches,
    publish,
    remove,
    registerPlugin,
    [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }),
  };
}

Deno.test("the view keeps the list's JSON text and tag until a container event changes it", async () => {
  await using f = await fixture();
  f.publish("alpha");
  const first = await f.view.snapshot();
  assertEquals(first.environments.map((e) => e.name), ["alpha"]);
  assertEquals(first.json, JSON.stringify(first.environments));
  assert(/^"[^"]+"$/.test(first.etag), `a strong tag is quoted: ${first.etag}`);
  assertEquals(f.view.current(), first, "fresh: answered from memory, the same snapshot");
  assertEquals(await f.view.snapshot(), first);
  assertEquals(await f.view.list(), first.environments);

  f.publish("beta");
  assertEquals(f.view.current(), null, "a container event makes the kept list stale at once");
  const second = await f.view.snapshot();
  assertEquals(second.environments.map((e) => e.name), ["alpha", "beta"]);
  assertNotEquals(second.etag, first.etag);

  // An event that leaves the list as it was (a container published again unchanged) keeps the tag.
  f.remove("beta");
  f.publish("beta");
  const third = await f.view.snapshot();
  assertEquals(third.json, second.json);
  assertEquals(third.etag, second.etag);

  f.remove("beta");
  f.publish("beta", "exited");
  const fourth = await f.view.snapshot();
  assertEquals(fourth.environments.find((e) => e.name === "beta")?.state, "exited");
  assert(![first.etag, second.etag].includes(fourth.etag), "a changed text gets a new tag");
});

Deno.test("a workspace whose container is gone shows as missing; only the watching plugin's items count", async () => {
  await using f = await fixture();
  await Deno.mkdir(join(f.settings.workspaces, "gone"));
  f.publish("alpha");
  f.registry.registerBatch("impostor", {
    items: [{ ...container(f.settings, "fake"), name: "f".repeat(64) }],
    actions: [],
  });
  const snap = await f.view.snapshot();
  assertEquals(snap.environments.map((e) => [e.name, e.state]), [
    ["alpha", "running"],
    ["gone", "missing"],
  ]);
});

Deno.test("a reloaded docker plugin has its watch started again before the view is fed", async () => {
  await using f = await fixture();
  f.publish("alpha");
  assertEquals(f.watches, [OWNER]);
  assert(f.view.live);
  f.registry.unregisterOwner(OWNER);
  assertEquals(f.view.live, false, "no watch, no view: callers ask the engine");
  f.registerPlugin(OWNER);
  assertEquals(f.view.live, false, "not fed until the new plugin's watch runs");
  // Let the queued watch call run (no timing involved: a macrotask runs after the microtasks).
  await new Promise((resolve) => setTimeout(resolve, 0));
  assertEquals(f.watches, [OWNER, OWNER]);
  assert(f.view.live);
  f.publish("beta");
  assertEquals((await f.view.list()).map((e) => e.name), ["beta"]);
});

Deno.test("the view is fed only while the watch holds its live item (its event stream is open)", async () => {
  await using f = await fixture();
  assert(f.view.live);
  const before = (await f.view.snapshot()).etag;
  f.registry.unregisterItem(OWNER, "container-view", "live");
  assertEquals(f.view.live, false, "a broken event stream: callers ask the engine");
  f.registry.registerBatch(OWNER, {
    items: [{ kind: "container-view", name: "live", metadata: {} }],
    actions: [],
  });
  assert(f.view.live, "resubscribed");
  f.registry.registerBatch("intruder", {
    items: [{ kind: "container-view", name: "other", metadata: {} }],
    actions: [],
  });
  assert(f.view.live);
  assertEquals((await f.view.snapshot()).etag, before, "the same list keeps its tag");
});

Deno.test("sync has the watch bring its items up to date only while the view is live", async () => {
  await using f = await fixture();
  assertEquals(f.watches, [OWNER]);
  await f.view.sync();
  assertEquals(f.watches, [OWNER, OWNER], "a live view asks the watch again");
  f.registry.unregisterItem(OWNER, "container-view", "live");
  await f.view.sync();
  assertEquals(f.watches, [OWNER, OWNER], "an off-line view does not (callers ask the engine)");
});

/**
 * `GET /v1/environments` over the real app and a real live view (a registry fed as the docker
 * plugin feeds it, a real workspace folder): the kept body and its ETag, `304` on a matching
 * `If-None-Match`, a new tag after a container event, and the guards and headers every answer
 * keeps, CORS on or off.
 */
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { join } from "@std/path";
import type { JsonObject } from "../../interfaces.ts";
import { Registry } from "../../registry/mod.ts";
import { OperationStore } from "../../core/operations.ts";
import { Services } from "../../core/env/services.ts";
import { envSettings } from "../../core/env/settings.ts";
import { EnvironmentView } from "../../core/env/view.ts";
import { createApp } from "../app.ts";
import { LOOPBACK_NAMES, SECURITY_HEADERS } from "../security.ts";
import { noneMatchHits } from "./environments.ts";
import { runtimeOver } from "../_test_runtime.ts";

const TOKEN = "t0k3n-t0k3n-t0k3n-t0k3n";

async function fixture(options: { cors?: string[]; token?: string } = {}) {
  const home = await Deno.makeTempDir({ prefix: "repocate-http-env-" });
  const settings = envSettings({ home });
  await Deno.mkdir(settings.workspaces, { recursive: true });
  const registry = new Registry();
  registry.registerBatch("docker", {
    // What the docker plugin's watch holds while its event stream is open.
    items: [{ kind: "container-view", name: "live", metadata: {} }],
    actions: [{
      name: "docker.container.watch",
      description: "watch",
      inputSchema: { type: "object" },
      invoke: () => Promise.resolve({ watching: true }),
    }],
  });
  const view = await EnvironmentView.start(new Services(registry), registry, settings);
  assert(view);
  const runtime = runtimeOver(registry);
  const app = createApp({
    runtime,
    settings,
    view,
    operations: new OperationStore(),
    auth: { token: options.token ?? null },
    corsOrigins: options.cors,
    allowedHosts: LOOPBACK_NAMES,
  });
  const publish = (name: string, state = "running") => {
    const id = `${name}-id`.padEnd(64, "0");
    const metadata: JsonObject = {
      id,
      name: `/repocate-${name}`,
      state,
      image: "busybox",
      labels: {
        "dev.repocate.managed": "true",
        "dev.repocate.name": name,
        "dev.repocate.workspace": join(settings.workspaces, name),
      },
      ports: [],
      created: "2024-01-01T00:00:00.000Z",
    };
    registry.unregisterItem("docker", "container", id);
    registry.registerBatch("docker", {
      items: [{ kind: "container", name: id, metadata }],
      actions: [],
    });
  };
  const get = (headers: Record<string, string> = {}) =>
    app.request("/v1/environments", {
      headers: {
        Host: "127.0.0.1:8420",
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...headers,
      },
    });
  return {
    view,
    publish,
    get,
    [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }),
  };
}

function assertSecured(res: Response) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    assertEquals(res.headers.get(name), value, `${res.status} answer lacks ${name}`);
  }
}

for (const mode of ["plain", "cors", "token"] as const) {
  Deno.test(`listing (${mode}): kept body with an ETag, 304 on If-None-Match, a new tag after a change`, async () => {
    await using f = await fixture(
      mode === "cors"
        ? { cors: ["http://localhost:5173"] }
        : mode === "token"
        ? { token: TOKEN }
        : {},
    );
    f.publish("alpha");
    const res = await f.get(mode === "cors" ? { Origin: "http://localhost:5173" } : {});
    const text = await res.text();
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("content-type"), "application/json");
    assertSecured(res);
    if (mode === "cors") {
      assertEquals(res.headers.get("access-control-allow-origin"), "http://localhost:5173");
    }
    const etag = res.headers.get("etag")!;
    const snapshot = await f.view.snapshot();
    assertEquals(etag, snapshot.etag);
    assertEquals(text, snapshot.json);
    assertEquals(JSON.parse(text).map((e: { name: string }) => e.name), ["alpha"]);

    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const same = await f.get({ "If-None-Match": header });
      assertEquals([same.status, await same.text()], [304, ""], header);
      assertEquals(same.headers.get("etag"), etag);
      assertSecured(same);
    }
    const other = await f.get({ "If-None-Match": '"other"' });
    assertEquals([other.status, await other.text()], [200, text]);

    f.publish("alpha", "exited");
    const changed = await f.get({ "If-None-Match": etag });
    assertEquals(changed.status, 200, "the old tag no longer matches");
    assertNotEquals(changed.headers.get("etag"), etag);
    assertEquals((await changed.json())[0].state, "exited");
    const again = await f.get({ "If-None-Match": changed.headers.get("etag")! });
    assertEquals(again.status, 304);

    if (mode === "token") {
      const refused = await f.get({ Authorization: "Bearer wrong-wrong-wrong-wrong" });
      assertEquals(refused.status, 401);
      assertSecured(refused);
    }
    const foreign = await f.get({ Host: "evil.example:8420" });
    assertEquals(foreign.status, 403, "the Host guard stands before the kept body");
    assertSecured(foreign);
  });
}

Deno.test("If-None-Match is compared weakly over a list of tags", () => {
  assert(noneMatchHits('"a"', '"a"'));
  assert(noneMatchHits('W/"a"', '"a"'));
  assert(noneMatchHits('"b" , W/"a"', '"a"'));
  assert(noneMatchHits("*", '"a"'));
  assert(!noneMatchHits('"b"', '"a"'));
  assert(!noneMatchHits('"a-1"', '"a"'));
  assert(!noneMatchHits("", '"a"'));
});

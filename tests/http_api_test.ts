/**
 * `repocate serve` as a client sees it: a real server started through the launcher, with the
 * builtin plugins in their Workers and the test dockerd. Health, metrics, the OpenAPI document,
 * plugins (added, reloaded and removed at run time), the registry, bad requests, operations.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { fixture } from "./_support/runtime.ts";
import { dockerTest } from "./_support/docker_engine.ts";
import { assertNoStack, type TestServer, withServer } from "./_support/http_server.ts";

/** Fetches `path` and returns status and parsed JSON. */
async function json(
  s: TestServer,
  path: string,
  init: RequestInit & { token?: string } = {},
  // deno-lint-ignore no-explicit-any
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const res = await s.request(path, init);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch { /* not JSON: left null */ }
  if (res.status >= 400) assertNoStack(text);
  return { status: res.status, body, text, headers: res.headers };
}

const post = (body?: unknown, extra: RequestInit = {}): RequestInit => ({
  method: "POST",
  headers: { "Content-Type": "application/json" },
  ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  ...extra,
});

Deno.test({
  name: "serve reports health, metrics, its OpenAPI document, plugins, items and actions",
  ...dockerTest,
  fn: () =>
    withServer(async (s) => {
      const health = await json(s, "/healthz");
      assertEquals(health.status, 200, health.text);
      assertEquals(health.body.status, "ok");
      assertEquals(health.body.core, "ok");
      assertEquals(health.body.plugins, [
        { name: "docker", state: "loaded" },
        { name: "git", state: "loaded" },
      ]);
      assertEquals(health.body.docker.reachable, true);
      assertMatch(health.body.docker.version, /\d+\.\d+/);

      const plugins = await json(s, "/v1/plugins");
      assertEquals(plugins.body.map((p: { name: string }) => p.name), ["docker", "git"]);
      const git = plugins.body[1];
      assertEquals([git.state, git.kind, git.permissions.run], ["loaded", "local", ["git"]]);
      assert(git.actions.includes("git.clone"));
      assert(git.risky.includes("run"));

      const actions = await json(s, "/v1/actions");
      const ping = actions.body.find((a: { name: string }) => a.name === "docker.ping");
      assertEquals(ping.owner, "docker");
      assertEquals((await json(s, "/v1/items")).status, 200);
      assertEquals((await json(s, "/v1/items?kind=nope")).body, []);
      assertEquals((await json(s, "/v1/items?kind=Bad Kind")).status, 400);

      const invoked = await json(s, "/v1/actions/docker.ping/invoke", post({}));
      assertEquals(invoked.status, 200, invoked.text);
      assertEquals(invoked.body.result.ok, true);

      const doc = await json(s, "/v1/openapi.json");
      assertEquals(doc.body.openapi, "3.1.0");
      assert(doc.body.paths["/v1/environments/{name}/rebuild"].post);

      const metrics = await s.request("/metrics");
      const text = await metrics.text();
      assertEquals(metrics.status, 200);
      assertStringIncludes(metrics.headers.get("content-type") ?? "", "text/plain");
      for (
        const line of [
          'repocate_http_requests_total{method="GET",route="/healthz",status="200"} 1',
          'repocate_http_requests_total{method="POST",route="/v1/actions/:name/invoke",status="200"} 1',
          'repocate_action_calls_total{action="docker.ping",outcome="ok"}',
          'repocate_http_request_duration_seconds_bucket{method="GET",route="/v1/plugins",le="+Inf"} 1',
          'repocate_plugins{state="loaded"} 2',
          'repocate_operations{state="running"} 0',
          "# TYPE repocate_environments gauge",
        ]
      ) assertStringIncludes(text, line);

      const page = await s.request("/");
      assertEquals(page.status, 200);
      assertStringIncludes(page.headers.get("content-type") ?? "", "text/html");
      assertStringIncludes(await page.text(), "<html");
      const same = await s.request("/ui/index.html");
      assertEquals(same.status, 200);
      await same.body?.cancel();
      assertEquals((await json(s, "/ui/%2e%2e/deno.json")).status, 404);
      assertEquals((await json(s, "/ui/.hidden")).status, 404);
    }),
});

Deno.test({
  name: "bad requests get one-line JSON errors with the JSON path of each fault, never a stack",
  ...dockerTest,
  fn: () =>
    withServer(async (s) => {
      const badJson = await json(s, "/v1/environments", post("{not json"));
      assertEquals([badJson.status, badJson.body.error.code], [400, "INPUT_INVALID"]);
      assertStringIncludes(badJson.body.error.message, "not valid JSON");

      const types = await json(s, "/v1/environments", post({ repo: 5, name: ["x"], extra: 1 }));
      assertEquals(types.status, 400);
      assertEquals(types.body.error.code, "INPUT_INVALID");
      assertEquals(types.body.error.issues.map((i: { path: string }) => i.path).sort(), [
        "extra",
        "name",
        "repo",
      ]);
      const missing = await json(s, "/v1/environments", post({}));
      assertEquals(missing.body.error.issues[0].path, "repo");
      const badName = await json(s, "/v1/environments", post({ repo: "/x", name: "Bad Name" }));
      assertEquals([badName.status, badName.body.error.code], [400, "USAGE"]);

      const huge = await json(s, "/v1/environments", post({ repo: "x".repeat(70 * 1024) }));
      assertEquals([huge.status, huge.body.error.code], [413, "PAYLOAD_TOO_LARGE"]);

      const unknown = await json(s, "/v1/actions/nope.missing/invoke", post({}));
      assertEquals([unknown.status, unknown.body.error.code], [404, "ACTION_NOT_FOUND"]);
      const input = await json(s, "/v1/actions/docker.container.logs/invoke", post({ id: 7 }));
      assertEquals([input.status, input.body.error.code], [400, "INPUT_INVALID"]);
      const route = await json(s, "/v1/nothing-here");
      assertEquals([route.status, route.body.error.code], [404, "NOT_FOUND"]);
      const env = await json(s, "/v1/environments/ghost");
      assertEquals([env.status, env.body.error.code], [404, "ENVIRONMENT_NOT_FOUND"]);
      const verb = await json(s, "/v1/environments/ghost/start", post());
      assertEquals(verb.status, 404);
      const rollback = await json(s, "/v1/environments/ghost/rollback", post({}));
      assertEquals(rollback.body.error.issues[0].path, "snapshot");
      const purge = await json(s, "/v1/environments/ghost?purge=maybe", { method: "DELETE" });
      assertEquals(purge.status, 400);
      const plugin = await json(
        s,
        "/v1/plugins",
        post({ source: "/x.ts", permissions: { reed: [] } }),
      );
      assertEquals(plugin.body.error.issues[0].path, "permissions.reed");
      const nonePlugin = await json(s, "/v1/plugins/ghost", { method: "DELETE" });
      assertEquals([nonePlugin.status, nonePlugin.body.error.code], [404, "PLUGIN_NOT_FOUND"]);
      const op = await json(s, "/v1/operations/00000000-0000-0000-0000-000000000000");
      assertEquals([op.status, op.body.error.code], [404, "OPERATION_NOT_FOUND"]);
      const events = await json(s, "/v1/operations/nope/events");
      assertEquals(events.status, 404);
      assertEquals((await json(s, "/v1/operations")).body, []);
    }),
});

Deno.test({
  name:
    "a plugin added through the API that throws fails its call with ACTION_FAILED naming it; the service stays up",
  ...dockerTest,
  fn: () =>
    withServer(async (s) => {
      const added = await json(
        s,
        "/v1/plugins",
        post({ source: fixture("probe.ts"), name: "probe" }),
      );
      assertEquals(added.status, 201, added.text);
      assertEquals([added.body.name, added.body.state], ["probe", "loaded"]);
      assertEquals(added.headers.get("location"), "/v1/plugins/probe");
      assertStringIncludes(await Deno.readTextFile(s.manifestFile), '"probe"');
      const again = await json(
        s,
        "/v1/plugins",
        post({ source: fixture("probe.ts"), name: "probe" }),
      );
      assertEquals([again.status, again.body.error.code], [409, "NAME_CONFLICT"]);

      const failed = await json(s, "/v1/actions/probe.fail/invoke", post({ message: "boom" }));
      assertEquals(failed.status, 500);
      assertEquals(failed.body.error.code, "ACTION_FAILED");
      assertStringIncludes(failed.body.error.message, 'plugin "probe"');
      assertStringIncludes(failed.body.error.message, "boom");

      const health = await json(s, "/healthz");
      assertEquals([health.status, health.body.status], [200, "ok"]);
      assertEquals(health.body.plugins.map((p: { name: string }) => p.name), [
        "docker",
        "git",
        "probe",
      ]);
      const progress = await json(s, "/v1/actions/probe.progress/invoke", post());
      assertEquals(progress.body.result, "done");
      assertEquals(progress.body.progress.map((p: { message: string }) => p.message), [
        "one",
        "two",
        "three",
      ]);
      const items = await json(s, "/v1/items?kind=probe");
      assertEquals(items.body.map((i: { owner: string }) => i.owner), ["probe"]);

      const reloaded = await json(s, "/v1/plugins/probe/reload", post());
      assertEquals([reloaded.status, reloaded.body.state], [200, "loaded"]);
      assertEquals((await json(s, "/v1/actions/probe.echo/invoke", post({ a: 1 }))).body.result, {
        a: 1,
      });

      const removed = await json(s, "/v1/plugins/probe", { method: "DELETE" });
      assertEquals([removed.status, removed.body], [200, { removed: "probe" }]);
      assertEquals((await json(s, "/v1/plugins")).body.length, 2);
      const gone = await json(s, "/v1/actions/probe.echo/invoke", post({}));
      assertEquals(gone.status, 404);
      assert(!(await Deno.readTextFile(s.manifestFile)).includes('"probe"'));
      assertEquals((await json(s, "/v1/plugins/probe/reload", post())).status, 404);
      assertEquals((await json(s, "/healthz")).status, 200);
    }),
});

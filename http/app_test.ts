/**
 * The app in-process, over a registry with stub actions and no plugins or Docker: the OpenAPI
 * document against the registered routes, the status mapping, auth, hidden internal errors,
 * metrics and the event stream. The real server is tested in tests/http_*_test.ts.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import type { Hono } from "hono";
import type { JsonValue } from "../interfaces.ts";
import { RepocateError } from "../errors.ts";
import { Registry } from "../registry/mod.ts";
import { OperationStore } from "../core/operations.ts";
import { envSettings } from "../core/env/settings.ts";
import { createApp, routeTable } from "./app.ts";
import type { AppDeps } from "./deps.ts";
import { statusFor } from "./errors.ts";
import { SECURITY_HEADERS } from "./security.ts";
import { openApiDocument } from "./openapi.ts";
import { runtimeOver } from "./_test_runtime.ts";

/** An app over a stub runtime whose registry offers `stub.*` actions. */
function stubApp(extra: Partial<AppDeps> = {}) {
  const registry = new Registry();
  const action = (name: string, invoke: (input: JsonValue) => Promise<JsonValue>) => ({
    name,
    description: name,
    inputSchema: { type: "object" },
    invoke,
  });
  registry.registerBatch("stub", {
    items: [{ kind: "thing", name: "one", metadata: {} }],
    actions: [
      action("stub.echo", (input) => Promise.resolve(input)),
      action("stub.bug", () => Promise.reject(new TypeError("secret detail at /x/y.ts:1:2"))),
      action(
        "stub.denied",
        () =>
          Promise.reject(new RepocateError("PERMISSION_DENIED", "permission denied: read /etc")),
      ),
    ],
  });
  const runtime = runtimeOver(registry);
  const logs: string[] = [];
  const operations = new OperationStore();
  const app = createApp({
    runtime,
    settings: envSettings({ home: "/nonexistent/repocate-home" }),
    operations,
    auth: { token: null },
    log: (line) => logs.push(line),
    ...extra,
  });
  return { app, logs, operations };
}

async function call(app: Hono, path: string, init: RequestInit = {}) {
  const res = await app.request(path, init);
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch { /* not JSON */ }
  return { status: res.status, body, text, headers: res.headers };
}

Deno.test("the OpenAPI document names every route the app registers, and only those", () => {
  const { app } = stubApp();
  const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
  assertEquals(documented, routeTable(app));
});

Deno.test("error codes map to statuses: bad input 400, not found 404, conflicts 409, the rest 500", () => {
  const cases: [string, number][] = [
    ["USAGE", 400],
    ["INPUT_INVALID", 400],
    ["MANIFEST_INVALID", 400],
    ["UNAUTHORIZED", 401],
    ["PERMISSION_DENIED", 403],
    ["ACTION_NOT_FOUND", 404],
    ["PLUGIN_NOT_FOUND", 404],
    ["ENVIRONMENT_NOT_FOUND", 404],
    ["NAME_CONFLICT", 409],
    ["ENVIRONMENT_BUSY", 409],
    ["PAYLOAD_TOO_LARGE", 413],
    ["PLUGIN_TYPE_CHECK", 422],
    ["HOST_PERMISSIONS", 422],
    ["ACTION_FAILED", 500],
    ["PLUGIN_CRASHED", 500],
    ["SOME_PLUGIN_CODE", 500],
    ["INTERNAL", 500],
  ];
  assertEquals(cases.map(([code]): [string, number] => [code, statusFor(code)]), cases);
});

Deno.test("an unexpected error is a generic 500 INTERNAL; its detail goes to the log only", async () => {
  const { app, logs } = stubApp();
  const res = await call(app, "/v1/actions/stub.bug/invoke", { method: "POST", body: "{}" });
  assertEquals(res.status, 500);
  assertEquals(res.body.error.code, "INTERNAL");
  assert(!res.text.includes("secret") && !res.text.includes(".ts:"), res.text);
  assertStringIncludes(logs.join("\n"), "secret detail");
  const denied = await call(app, "/v1/actions/stub.denied/invoke", { method: "POST" });
  assertEquals([denied.status, denied.body.error.code], [403, "PERMISSION_DENIED"]);
  const echoed = await call(app, "/v1/actions/stub.echo/invoke", { method: "POST", body: "[1]" });
  assertEquals(echoed.status, 400, "the registry validates input against the schema");
});

Deno.test("with a token, every route but /healthz and the UI answers 401 without it", async () => {
  const { app } = stubApp({ auth: { token: "t0k3n-t0k3n-t0k3n-t0k3n" } });
  const bearer = { headers: { Authorization: "Bearer t0k3n-t0k3n-t0k3n-t0k3n" } };
  for (const path of routeTable(app).map((r) => r.split(" ")[1])) {
    const concrete = path.replace("{path}", "index.html").replace(/\{\w+\}/g, "x");
    const method = routeTable(app).find((r) => r.endsWith(` ${path}`))!.split(" ")[0];
    const res = await call(app, concrete, { method });
    const open = path === "/healthz" || path === "/" || path.startsWith("/ui/");
    if (open) assert(res.status !== 401, `${path} is open`);
    else assertEquals(res.status, 401, `${method} ${path}`);
  }
  const ok = await call(app, "/v1/actions", bearer);
  assertEquals(ok.status, 200);
  const lower = await call(app, "/v1/actions", {
    headers: { authorization: "bearer t0k3n-t0k3n-t0k3n-t0k3n" },
  });
  assertEquals(lower.status, 200, "the scheme is case-insensitive");
});

Deno.test("/healthz is degraded (503) when no plugin offers docker.ping", async () => {
  const { app } = stubApp();
  const res = await call(app, "/healthz");
  assertEquals(res.status, 503);
  assertEquals(res.body.status, "degraded");
  assertEquals(res.body.docker.reachable, false);
  assertStringIncludes(res.body.docker.error, "docker.ping");
});

Deno.test("metrics count action calls by outcome and requests by route pattern", async () => {
  const { app } = stubApp();
  await call(app, "/v1/actions/stub.echo/invoke", { method: "POST", body: "{}" });
  await call(app, "/v1/actions/stub.bug/invoke", { method: "POST", body: "{}" });
  await call(app, "/v1/actions/stub.none/invoke", { method: "POST", body: "{}" });
  const text = (await call(app, "/metrics")).text;
  assertStringIncludes(text, 'repocate_action_calls_total{action="stub.echo",outcome="ok"} 1');
  assertStringIncludes(text, 'repocate_action_calls_total{action="stub.bug",outcome="error"} 1');
  assert(!text.includes('action="stub.none"'), "unknown names do not become series");
  assertStringIncludes(
    text,
    'repocate_http_requests_total{method="POST",route="/v1/actions/:name/invoke",status="404"} 1',
  );
  assert(!text.includes("repocate_environments{"), "no Docker: the series is left out");
});

Deno.test("the event stream replays the past, follows live progress and closes after done", async () => {
  const { app, operations } = stubApp();
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const op = operations.start("test.op", "x", async (progress) => {
    progress("before");
    await gate;
    progress("after");
    return { fine: true };
  });
  await new Promise((r) => setTimeout(r, 0));
  const res = await app.request(`/v1/operations/${op.id}/events`);
  assertEquals(res.headers.get("content-type"), "text/event-stream");
  setTimeout(release, 50);
  const text = await res.text();
  const events = text.split("\n\n").filter(Boolean).map((b) => b.split("\n")[0]);
  assertEquals(events, ["event: progress", "event: progress", "event: done"]);
  assertMatch(text, /data: \{"type":"done".*"result":\{"fine":true\}/);
  const list = await call(app, "/v1/operations");
  assertEquals(list.body[0].lastProgress.message, "after");
  assertEquals(list.body[0].progress, undefined, "lists leave progress lines out");
});

Deno.test("bodies over the limit are refused with 413 before any route reads them", async () => {
  const { app } = stubApp({ bodyLimit: 100 });
  const res = await call(app, "/v1/actions/stub.echo/invoke", {
    method: "POST",
    body: JSON.stringify({ text: "x".repeat(200) }),
  });
  assertEquals([res.status, res.body.error.code], [413, "PAYLOAD_TOO_LARGE"]);
  const chunked = await call(app, "/v1/actions/stub.echo/invoke", {
    method: "POST",
    body: new Blob([JSON.stringify({ text: "x".repeat(200) })]).stream(),
  });
  assertEquals(chunked.status, 413, "a body without Content-Length is counted too");
});

Deno.test("every answer carries the security headers, whatever route or error made it", async () => {
  const { app, operations } = stubApp();
  const op = operations.start("test.op", "x", () => Promise.resolve({ fine: true }));
  await new Promise((r) => setTimeout(r, 0));
  const paths = routeTable(app).map((r) => {
    const [method, path] = r.split(" ");
    return [
      method,
      path.replace("{path}", "index.html").replace("{id}", op.id)
        .replace(/\{\w+\}/g, "x"),
    ];
  });
  paths.push(["GET", "/"], ["GET", "/nowhere"], ["GET", `/v1/operations/${op.id}/events`]);
  for (const [method, path] of paths) {
    const res = await app.request(path, { method, body: method === "GET" ? undefined : "{}" });
    await res.body?.cancel();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      assertEquals(res.headers.get(name), value, `${method} ${path} (${res.status}): ${name}`);
    }
  }
});

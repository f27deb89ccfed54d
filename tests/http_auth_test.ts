/**
 * Who may talk to `repocate serve`: a bearer token (generated into `$REPOCATE_HOME/token` when
 * bound beyond loopback, or read from `--token-file`) on everything but `/healthz` and the
 * static UI; without a token on loopback, only loopback `Host` names and no foreign browser
 * origins, unless `--cors` lists them.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { join } from "@std/path";
import { dockerTest } from "./_support/docker_engine.ts";
import { assertNoStack, type TestServer, withServer } from "./_support/http_server.ts";

async function status(s: TestServer, path: string, init: RequestInit & { token?: string } = {}) {
  const res = await s.request(path, init);
  const text = await res.text();
  if (res.status >= 400) assertNoStack(text);
  return { status: res.status, text, headers: res.headers };
}

/** A GET with a chosen `Host` header (fetch would not send it); returns status and body. */
async function rawGet(s: TestServer, path: string, host: string) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(s.url).port) });
  await conn.write(
    new TextEncoder().encode(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
  );
  let text = "";
  for await (const chunk of conn.readable.pipeThrough(new TextDecoderStream())) text += chunk;
  return { status: Number(text.split(" ")[1]), body: text.slice(text.indexOf("\r\n\r\n") + 4) };
}

Deno.test({
  name:
    "bound to 0.0.0.0, serve makes a 0600 token in REPOCATE_HOME, names the file but not the token, and requires it",
  ...dockerTest,
  fn: () =>
    withServer(async (s) => {
      const file = join(s.home, "token");
      const token = (await Deno.readTextFile(file)).trim();
      assertMatch(token, /^[0-9a-f]{64}$/);
      assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
      assertStringIncludes(s.stderr(), file);
      assert(!s.stderr().includes(token), "the token itself is never printed");

      const none = await status(s, "/v1/plugins");
      assertEquals(none.status, 401);
      assertEquals(JSON.parse(none.text).error.code, "UNAUTHORIZED");
      assertStringIncludes(none.headers.get("www-authenticate") ?? "", "Bearer");
      assertEquals((await status(s, "/v1/plugins", { token: "0".repeat(64) })).status, 401);
      assertEquals((await status(s, "/v1/plugins", { token: token.slice(1) })).status, 401);
      const basic = await status(s, "/v1/plugins", {
        headers: { Authorization: `Basic ${token}` },
      });
      assertEquals(basic.status, 401);
      assertEquals((await status(s, "/v1/plugins", { token })).status, 200);
      for (const path of ["/metrics", "/v1/openapi.json", "/v1/environments", "/v1/operations"]) {
        assertEquals((await status(s, path)).status, 401, path);
        assertEquals((await status(s, path, { token })).status, 200, path);
      }
      const invoke = { method: "POST", body: "{}" };
      assertEquals((await status(s, "/v1/actions/docker.ping/invoke", invoke)).status, 401);
      assertEquals(
        (await status(s, "/v1/actions/docker.ping/invoke", { ...invoke, token })).status,
        200,
      );
      assertEquals((await status(s, "/healthz")).status, 200, "/healthz needs no token");
      assertEquals((await status(s, "/")).status, 200, "the static UI needs no token");
      assertEquals((await status(s, "/nope")).status, 401, "unknown routes say nothing either");
    }, { args: ["--host", "0.0.0.0"] }),
});

Deno.test({
  name: "--token-file turns auth on for a loopback bind and reuses the token it holds",
  ...dockerTest,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "repocate-token-" });
    const file = join(dir, "secret", "api-token");
    try {
      await Deno.mkdir(join(dir, "secret"));
      await Deno.writeTextFile(file, "a-token-chosen-by-the-operator\n", { mode: 0o600 });
      await withServer(async (s) => {
        assertStringIncludes(s.stderr(), file);
        assertEquals((await status(s, "/v1/actions")).status, 401);
        const ok = await status(s, "/v1/actions", { token: "a-token-chosen-by-the-operator" });
        assertEquals(ok.status, 200);
        assertEquals((await status(s, "/healthz")).status, 200);
      }, { args: ["--token-file", file] });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "without a token on loopback, auth is off but foreign Host names and browser origins are refused",
  ...dockerTest,
  fn: () =>
    withServer(async (s) => {
      assertEquals((await status(s, "/v1/plugins")).status, 200);
      assert(!s.stderr().includes("bearer auth on"));
      const rebinding = await rawGet(s, "/v1/plugins", "evil.example:80");
      assertEquals(rebinding.status, 403);
      assertStringIncludes(rebinding.body, '"FORBIDDEN"');
      assertEquals((await rawGet(s, "/v1/plugins", "localhost:1234")).status, 200);
      assertEquals((await rawGet(s, "/v1/plugins", "[::1]:1234")).status, 200);

      const ping = { method: "POST", body: "{}" };
      const foreign = await status(s, "/v1/actions/docker.ping/invoke", {
        ...ping,
        headers: { Origin: "https://evil.example" },
      });
      assertEquals(foreign.status, 403);
      const own = await status(s, "/v1/actions/docker.ping/invoke", {
        ...ping,
        headers: { Origin: s.url },
      });
      assertEquals(own.status, 200, "the server's own origin (its UI) may call it");
      const listed = await status(s, "/v1/actions/docker.ping/invoke", {
        ...ping,
        headers: { Origin: "http://localhost:5173" },
      });
      assertEquals(listed.status, 200, "an origin given with --cors may call it");

      const preflight = await s.request("/v1/environments", {
        method: "OPTIONS",
        headers: {
          Origin: "http://localhost:5173",
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "authorization,content-type",
        },
      });
      await preflight.body?.cancel();
      assertEquals(preflight.headers.get("access-control-allow-origin"), "http://localhost:5173");
      assertStringIncludes(
        (preflight.headers.get("access-control-allow-headers") ?? "").toLowerCase(),
        "authorization",
      );
      const other = await s.request("/v1/plugins", { headers: { Origin: "https://evil.example" } });
      await other.body?.cancel();
      assertEquals(other.headers.get("access-control-allow-origin"), null);
    }, { args: ["--cors", "http://localhost:5173"] }),
});

import { assertEquals, assertStringIncludes } from "@std/assert";
import { DockerPluginError, isNotFound, toPluginError } from "./errors.ts";
import type { EngineAddress } from "./client.ts";

const unix: EngineAddress = { kind: "unix", socketPath: "/run/x/docker.sock" };
const tcp: EngineAddress = { kind: "tcp", host: "127.0.0.1", port: 1, tls: false };

Deno.test("connection failures become 'unreachable' naming the address and how to start one", () => {
  const error = toPluginError(
    Object.assign(new Error("connect ENOENT /run/x/docker.sock"), { code: "ENOENT" }),
    unix,
    "ping",
  );
  assertEquals(error.code, "unreachable");
  assertStringIncludes(error.message, "unix:///run/x/docker.sock");
  assertStringIncludes(error.message, "ENOENT");
  assertStringIncludes(error.message, ".ci/docker.sh start");
  assertStringIncludes(error.message, "DOCKER_HOST");
});

Deno.test("a Worker permission denial says which permission the plugin lacks", () => {
  const denied = Object.assign(new Error("Requires read access"), { name: "NotCapable" });
  assertStringIncludes(
    toPluginError(denied, unix, "ping").message,
    'read, write and net "unix:/run/x/docker.sock"',
  );
  assertStringIncludes(toPluginError(denied, tcp, "ping").message, 'net "127.0.0.1:1"');
});

Deno.test("engine answers keep their status and the engine's own message", () => {
  const answer = (statusCode: number) =>
    Object.assign(new Error("(HTTP code 404) no such container"), {
      statusCode,
      json: { message: "No such container: web" },
    });
  const notFound = toPluginError(answer(404), unix, 'start container "web"');
  assertEquals(notFound.code, "not_found");
  assertEquals(notFound.statusCode, 404);
  assertEquals(notFound.message, 'docker: start container "web": No such container: web');
  assertEquals(toPluginError(answer(409), unix, "x").code, "conflict");
  assertEquals(toPluginError(answer(500), unix, "x").code, "engine_error");
  assertEquals(isNotFound(answer(404)), true);
  assertEquals(isNotFound(notFound), true);
  assertEquals(isNotFound(new Error("x")), false);
});

Deno.test("plugin errors pass through and odd throws still give a message", () => {
  const own = new DockerPluginError("build_failed", "boom");
  assertEquals(toPluginError(own, unix, "x"), own);
  assertEquals(toPluginError("text", unix, "list").message, "docker: list: text");
});

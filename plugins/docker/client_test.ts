import { assertEquals, assertThrows } from "@std/assert";
import {
  DEFAULT_SOCKET,
  dockerodeOptions,
  type EngineAddress,
  formatAddress,
  modemEnv,
  parseDockerHost,
  resolveEngineAddress,
} from "./client.ts";

Deno.test("an unset or empty DOCKER_HOST means the default socket", () => {
  const expected: EngineAddress = { kind: "unix", socketPath: DEFAULT_SOCKET };
  assertEquals(parseDockerHost(undefined), expected);
  assertEquals(parseDockerHost(""), expected);
  assertEquals(parseDockerHost("  "), expected);
  assertEquals(parseDockerHost("unix://"), expected);
});

Deno.test("unix:// values give the socket path", () => {
  assertEquals(parseDockerHost("unix:///run/repocate-ci/docker.sock"), {
    kind: "unix",
    socketPath: "/run/repocate-ci/docker.sock",
  });
  assertThrows(() => parseDockerHost("unix://relative.sock"), TypeError, "absolute");
});

Deno.test("tcp values give host and port, defaulting the port like the docker CLI", () => {
  assertEquals(parseDockerHost("tcp://10.0.0.5:2375"), {
    kind: "tcp",
    host: "10.0.0.5",
    port: 2375,
    tls: false,
  });
  assertEquals(parseDockerHost("localhost:1234"), {
    kind: "tcp",
    host: "localhost",
    port: 1234,
    tls: false,
  });
  assertEquals(parseDockerHost("tcp://docker"), {
    kind: "tcp",
    host: "docker",
    port: 2375,
    tls: false,
  });
  assertEquals(parseDockerHost("https://docker"), {
    kind: "tcp",
    host: "docker",
    port: 2376,
    tls: true,
  });
  assertEquals(parseDockerHost("tcp://docker:2376", true), {
    kind: "tcp",
    host: "docker",
    port: 2376,
    tls: true,
  });
  assertEquals(parseDockerHost("tcp://[::1]:2375"), {
    kind: "tcp",
    host: "::1",
    port: 2375,
    tls: false,
  });
});

Deno.test("schemes the plugin cannot speak are refused with the value named", () => {
  assertThrows(() => parseDockerHost("ssh://me@box"), TypeError, '"ssh" is not supported');
  assertThrows(() => parseDockerHost("npipe:////./pipe/docker"), TypeError, "npipe");
  assertThrows(() => parseDockerHost("tcp://host:2375/path"), TypeError, "tcp://host:port");
});

Deno.test("addresses format back to DOCKER_HOST form", () => {
  for (
    const text of [
      "unix:///var/run/docker.sock",
      "tcp://127.0.0.1:2375",
      "https://docker:2376",
      "tcp://[::1]:2375",
    ]
  ) {
    assertEquals(formatAddress(parseDockerHost(text)), text);
  }
});

Deno.test("config.host wins over DOCKER_HOST, which wins over the default", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assertEquals(
    resolveEngineAddress({ host: "unix:///a.sock" }, env({ DOCKER_HOST: "tcp://b:1" })),
    { kind: "unix", socketPath: "/a.sock" },
  );
  assertEquals(resolveEngineAddress({}, env({ DOCKER_HOST: "tcp://b:1" })), {
    kind: "tcp",
    host: "b",
    port: 1,
    tls: false,
  });
  assertEquals(
    resolveEngineAddress({}, env({ DOCKER_HOST: "tcp://b:1", DOCKER_TLS_VERIFY: "1" })),
    {
      kind: "tcp",
      host: "b",
      port: 1,
      tls: true,
    },
  );
  assertEquals(resolveEngineAddress({}, env({})), { kind: "unix", socketPath: DEFAULT_SOCKET });
  assertThrows(() => resolveEngineAddress({ hots: "x" }, env({})), TypeError, 'unknown key "hots"');
  assertThrows(() => resolveEngineAddress({ host: 1 }, env({})), TypeError, "must be a string");
});

Deno.test("dockerode options set every connection field so DOCKER_HOST cannot leak in", () => {
  const unix = dockerodeOptions({ kind: "unix", socketPath: "/s.sock" });
  assertEquals(unix.socketPath, "/s.sock");
  assertEquals("host" in unix && unix.host === undefined, true);
  const tcp = dockerodeOptions({ kind: "tcp", host: "h", port: 2376, tls: true });
  assertEquals([tcp.host, tcp.port, tcp.protocol], ["h", 2376, "https"]);
  assertEquals("socketPath" in tcp && tcp.socketPath === undefined, true);
});

Deno.test("docker-modem sees DOCKER_HOST as resolved plus only the engine variables", () => {
  const vars: Record<string, string> = {
    DOCKER_HOST: "unix:///ignored.sock",
    DOCKER_CERT_PATH: "/certs",
    AWS_SECRET_ACCESS_KEY: "secret",
  };
  assertEquals(
    modemEnv({ kind: "tcp", host: "h", port: 2376, tls: true }, (name) => vars[name]),
    { DOCKER_HOST: "https://h:2376", DOCKER_CERT_PATH: "/certs" },
  );
  assertEquals(modemEnv({ kind: "unix", socketPath: "/s" }, () => undefined), {
    DOCKER_HOST: "unix:///s",
  });
});

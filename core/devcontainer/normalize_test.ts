import { assertEquals } from "@std/assert";
import { normalizeCommand, normalizePorts, normalizeRemoteEnv } from "./normalize.ts";

Deno.test("a string command runs in a shell, an array without one", () => {
  assertEquals(normalizeCommand("npm ci && npm test"), {
    kind: "shell",
    command: "npm ci && npm test",
  });
  assertEquals(normalizeCommand(["pip", "install", "-e", "."]), {
    kind: "exec",
    argv: ["pip", "install", "-e", "."],
  });
});

Deno.test("an object command runs its entries in parallel; empty ones are dropped", () => {
  assertEquals(normalizeCommand({ server: "npm start", db: ["./db.sh", "up"], none: "" }), {
    kind: "parallel",
    commands: {
      server: { kind: "shell", command: "npm start" },
      db: { kind: "exec", argv: ["./db.sh", "up"] },
    },
  });
});

Deno.test("empty commands mean no command", () => {
  assertEquals(
    [
      normalizeCommand(" "),
      normalizeCommand([]),
      normalizeCommand({}),
      normalizeCommand(undefined),
    ],
    [undefined, undefined, undefined, undefined],
  );
});

Deno.test("forwardPorts keep integers in range, take the port of host:port, drop repeats", () => {
  const faults: string[] = [];
  assertEquals(normalizePorts([3000, "db:5432", "8080", 3000, "5432"], faults), [3000, 5432, 8080]);
  assertEquals(faults, []);
});

Deno.test("bad forwardPorts are faults at their index", () => {
  const faults: string[] = [];
  normalizePorts([0, 70000, 80.5, "web:", "a:b:1", "db:99999"], faults);
  assertEquals(faults, [
    "forwardPorts[0]: port must be an integer from 1 to 65535, not 0",
    "forwardPorts[1]: port must be an integer from 1 to 65535, not 70000",
    "forwardPorts[2]: port must be an integer from 1 to 65535, not 80.5",
    'forwardPorts[3]: must be a port number or "host:port", not "web:"',
    'forwardPorts[4]: must be a port number or "host:port", not "a:b:1"',
    'forwardPorts[5]: port must be an integer from 1 to 65535, not "db:99999"',
  ]);
});

Deno.test("remoteEnv null entries are dropped with a warning", () => {
  const warnings: string[] = [];
  assertEquals(normalizeRemoteEnv({ A: "1", B: null }, warnings), { A: "1" });
  assertEquals(warnings, ["remoteEnv.B: null (unset the variable) is not supported; ignored"]);
});

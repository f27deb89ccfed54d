import { assert, assertEquals, assertThrows } from "@std/assert";
import { PortAllocator } from "./ports.ts";
import { createDockerOps } from "./mod.ts";
import { startInProcess } from "../_testing/in_process.ts";

Deno.test("allocated ports are distinct, free on 127.0.0.1, and not handed out twice", () => {
  const ports = new PortAllocator();
  const first = ports.allocate(20);
  const second = ports.allocate(20);
  const all = [...first, ...second];
  assertEquals(new Set(all).size, 40);
  for (const port of all) {
    const listener = Deno.listen({ hostname: "127.0.0.1", port });
    listener.close();
  }
  assertEquals(ports.held, [...all].sort((a, b) => a - b));
  assertEquals(ports.release([first[0], first[0], 1]), 1);
  assert(!ports.held.includes(first[0]));
});

Deno.test("a bad count is refused", () => {
  const ports = new PortAllocator();
  assertThrows(() => ports.allocate(0), RangeError);
  assertThrows(() => ports.allocate(1.5), RangeError);
  assertThrows(() => ports.allocate(101), RangeError);
});

Deno.test("concurrent docker.ports.allocate calls never share a port", async () => {
  // No engine needed: port allocation does not talk to Docker.
  const plugin = await startInProcess(createDockerOps(() => undefined));
  try {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => plugin.call("docker.ports.allocate", { count: 5 })),
    );
    const all = answers.flatMap((a) => (a as { ports: number[] }).ports);
    assertEquals(all.length, 50);
    assertEquals(new Set(all).size, 50);
    assertEquals(await plugin.call("docker.ports.release", { ports: all.slice(0, 3) }), {
      released: 3,
    });
  } finally {
    await plugin.dispose();
  }
});

/**
 * Hostile plugins are contained: what they were not granted is refused and reported under their
 * name, floods and oversized registrations are bounded, protocol forgery stops them, and the
 * core and the other plugins keep working. (A plugin whose remote content changes after locking
 * is tests/remote_plugins_test.ts; one that hangs or crashes is host/plugin_host_test.ts.)
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import { RepocateError } from "../errors.ts";
import type { JsonObject } from "../interfaces.ts";
import { fixture, probe, withRuntime } from "./_support/runtime.ts";

const hostile = (name: string, more: Record<string, unknown> = {}) => ({
  name,
  source: fixture("hostile.ts"),
  ...more,
});

Deno.test("a plugin without grants cannot read host files, the environment, the Docker socket or the network", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  try {
    await withRuntime([hostile("evil"), probe("good")], async (runtime) => {
      const attempts: [string, JsonObject][] = [
        ["evil.passwd", {}],
        ["evil.env", {}],
        ["evil.socket", {
          path: Deno.env.get("DOCKER_HOST")?.replace("unix://", "") ?? "/var/run/docker.sock",
        }],
        ["evil.fetch", { url: `http://127.0.0.1:${port}/` }],
      ];
      for (const [action, input] of attempts) {
        const error = await assertRejects(
          () => runtime.registry.invoke(action, input),
          RepocateError,
        );
        assertEquals(error.code, "PERMISSION_DENIED", `${action}: ${error.message}`);
        assertMatch(error.message, /^plugin "evil": permission denied/);
      }
      assertEquals(await runtime.registry.invoke("good.echo", { still: "fine" }), {
        still: "fine",
      });
    });
  } finally {
    listener.close();
  }
});

Deno.test("a plugin that floods its log is rate-limited, reported, and the host stays responsive", async () => {
  await withRuntime([hostile("noisy"), probe("quiet")], async (runtime, project) => {
    assertEquals(await runtime.registry.invoke("noisy.flood", { lines: 50_000 }), 50_000);
    assertEquals(await runtime.registry.invoke("quiet.echo", { ok: 1 }), { ok: 1 });
    await new Promise((r) => setTimeout(r, 1200));
    const flood = project.logs.filter((l) => l.startsWith("noisy info: flood"));
    assert(flood.length < 1000, `${flood.length} flood lines passed`);
    assert(
      project.logs.some((l) => /^noisy warn: dropped \d+ log lines/.test(l)),
      project.logs.slice(-3).join("\n"),
    );
  });
});

Deno.test("a plugin that registers thousands of actions is refused and registers nothing", async () => {
  await withRuntime(
    [hostile("greedy", { config: { extraActions: 5000 } }), probe("modest")],
    (runtime) => {
      const status = runtime.host.get("greedy")!;
      assertEquals(status.state, "failed");
      assertEquals(status.error?.code, "PLUGIN_SHAPE");
      assertStringIncludes(status.error!.message, "at most 1000");
      assertEquals(runtime.registry.listActions("greedy"), []);
      assertEquals(runtime.host.get("modest")?.state, "loaded");
    },
  );
});

Deno.test("a plugin that posts messages outside the protocol is stopped and unloaded", async () => {
  await withRuntime([hostile("forger"), probe("honest")], async (runtime) => {
    await runtime.registry.invoke("forger.forge", {}).catch(() => {});
    for (let i = 0; i < 50 && runtime.host.get("forger")?.state === "loaded"; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const status = runtime.host.get("forger")!;
    assertEquals(status.state, "failed");
    assertStringIncludes(status.error!.message, "outside the protocol");
    assertEquals(runtime.registry.listActions("forger"), []);
    assertEquals(await runtime.registry.invoke("honest.noop", {}), null);
  });
});

Deno.test("a plugin that allocates without bound is stopped at its memoryMb, reported by name, and the core stays up", async () => {
  await withRuntime(
    [hostile("hog", { isolation: "process", memoryMb: 64 }), probe("frugal")],
    async (runtime) => {
      const error = await assertRejects(
        () => runtime.registry.invoke("hog.hog", {}),
        RepocateError,
      );
      assertEquals(error.code, "PLUGIN_CRASHED");
      assertMatch(
        error.message,
        /^plugin "hog" crashed: reached its memory limit of 64 MB \(memoryMb in plugins\.json\)$/,
      );
      const status = runtime.host.get("hog")!;
      assertEquals(status.state, "failed");
      assertStringIncludes(status.error!.message, "memory limit of 64 MB");
      assertEquals(runtime.registry.listActions("hog"), []);
      assertEquals(await runtime.registry.invoke("frugal.echo", { still: "up" }), { still: "up" });
    },
  );
});

Deno.test("a process-isolated plugin keeps to its grants, and one stuck in a loop is killed", async () => {
  const tag = crypto.randomUUID().slice(0, 8);
  const spinner = `spin-${tag}`;
  const processes = async () => {
    const out = await new Deno.Command("pgrep", { args: ["-f", `plugin:${spinner}`] }).output();
    return new TextDecoder().decode(out.stdout).trim();
  };
  await withRuntime(
    [
      hostile(`jail-${tag}`, { isolation: "process" }),
      hostile(spinner, { isolation: "process", timeouts: { callMs: 1500 } }),
      probe("bystander"),
    ],
    async (runtime) => {
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const { port } = listener.addr as Deno.NetAddr;
      try {
        const attempts: [string, JsonObject][] = [
          ["passwd", {}],
          ["env", {}],
          ["fetch", { url: `http://127.0.0.1:${port}/` }],
        ];
        for (const [action, input] of attempts) {
          const denied = await assertRejects(
            () => runtime.registry.invoke(`jail-${tag}.${action}`, input),
            RepocateError,
          );
          assertEquals(denied.code, "PERMISSION_DENIED", `${action}: ${denied.message}`);
        }
      } finally {
        listener.close();
      }
      assertEquals(await runtime.registry.invoke(`jail-${tag}.flood`, { lines: 2 }), 2);

      assert(await processes(), "the spinning plugin runs as its own process");
      const hung = await assertRejects(
        () => runtime.registry.invoke(`${spinner}.spin`, {}),
        RepocateError,
      );
      assertEquals(hung.code, "PLUGIN_TIMEOUT");
      for (let i = 0; i < 50 && await processes(); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assertEquals(await processes(), "", "the stuck plugin's process is gone");
      assertEquals(await runtime.registry.invoke("bystander.echo", { up: true }), { up: true });
    },
    { lazy: false },
  );
});

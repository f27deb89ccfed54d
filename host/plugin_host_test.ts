import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import { RepocateError } from "../errors.ts";
import { fixture, probe, tempProject, withRuntime } from "../tests/_support/runtime.ts";
import { openRuntime } from "../core/runtime.ts";

const FAST = { timeouts: { initMs: 3000, callMs: 2000 } };

function statusOf(runtime: { host: { get(n: string): unknown } }, name: string) {
  return runtime.host.get(name) as {
    state: string;
    error?: { code: string; message: string };
    actions: string[];
  };
}

Deno.test("a plugin granted nothing cannot read a file, and the error names the plugin", async () => {
  const secret = await Deno.makeTempFile();
  await Deno.writeTextFile(secret, "s3cret");
  try {
    await withRuntime([probe("reader")], async (runtime) => {
      const error = await assertRejects(
        () => runtime.registry.invoke("reader.read", { path: secret }),
        RepocateError,
      );
      assertEquals(error.code, "PERMISSION_DENIED");
      assertStringIncludes(error.message, 'plugin "reader"');
      assertStringIncludes(error.message, secret);
      assertStringIncludes(error.message, "permissions.read");
    });
  } finally {
    await Deno.remove(secret);
  }
});

Deno.test("a plugin granted the path reads it", async () => {
  const secret = await Deno.makeTempFile();
  await Deno.writeTextFile(secret, "s3cret");
  try {
    await withRuntime([probe("reader", { permissions: { read: [secret] } })], async (runtime) => {
      assertEquals(await runtime.registry.invoke("reader.read", { path: secret }), "s3cret");
    });
  } finally {
    await Deno.remove(secret);
  }
});

Deno.test("a plugin that reads an ungranted file in initialize fails to load, reported by name", async () => {
  await withRuntime(
    [probe("eager", { config: { initialize: "read", path: "/etc/hostname" } }), probe("calm")],
    async (runtime) => {
      const status = statusOf(runtime, "eager");
      assertEquals(status.state, "failed");
      assertEquals(status.error?.code, "PERMISSION_DENIED");
      assertMatch(status.error!.message, /^plugin "eager" threw in initialize: permission denied/);
      assertEquals(runtime.registry.listActions("eager"), []);
      assertEquals(await runtime.registry.invoke("calm.echo", { ok: 1 }), { ok: 1 });
    },
  );
});

Deno.test("a plugin granted nothing cannot open a socket; granted the address it can", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  const accepting = (async () => {
    for await (const conn of listener) conn.close();
  })();
  try {
    await withRuntime(
      [probe("closed"), probe("open", { permissions: { net: [`127.0.0.1:${port}`] } })],
      async (runtime) => {
        const error = await assertRejects(
          () => runtime.registry.invoke("closed.connect", { port }),
          RepocateError,
        );
        assertEquals(error.code, "PERMISSION_DENIED");
        assertStringIncludes(error.message, 'plugin "closed"');
        assertEquals(await runtime.registry.invoke("open.connect", { port }), "connected");
      },
    );
  } finally {
    listener.close();
    await accepting.catch(() => {});
  }
});

Deno.test("a plugin reads only the environment variables it is granted", async () => {
  await withRuntime(
    [probe("envy", { permissions: { env: ["HOME"] } })],
    async (runtime) => {
      assertEquals(
        await runtime.registry.invoke("envy.env", { name: "HOME" }),
        Deno.env.get("HOME")!,
      );
      const error = await assertRejects(
        () => runtime.registry.invoke("envy.env", { name: "PATH" }),
        RepocateError,
      );
      assertEquals(error.code, "PERMISSION_DENIED");
    },
  );
});

Deno.test("a plugin that throws in initialize is unloaded and the others keep working", async () => {
  await withRuntime(
    [probe("first"), probe("thrower", { config: { initialize: "throw" } }), probe("last")],
    async (runtime) => {
      const status = statusOf(runtime, "thrower");
      assertEquals(status.state, "failed");
      assertEquals(status.error?.code, "PLUGIN_INIT_FAILED");
      assertStringIncludes(status.error!.message, "probe refuses to initialize");
      assertEquals(runtime.registry.listActions("thrower"), []);
      assertEquals(runtime.registry.listItems("probe").map((i) => i.name), ["first", "last"]);
      assertEquals(await runtime.registry.invoke("first.echo", { a: 1 }), { a: 1 });
      assertEquals(await runtime.registry.invoke("last.echo", { b: 2 }), { b: 2 });
    },
  );
});

// A spinning plugin runs in its own process: Deno cannot stop a Worker stuck in a synchronous
// loop (its thread would keep a core busy for the rest of the test run).
for (const [mode, isolation] of [["hang", "worker"], ["spin", "process"]]) {
  Deno.test(`a plugin that ${mode}s in initialize past its timeout is unloaded (${isolation})`, async () => {
    await withRuntime(
      [
        probe("stuck", { config: { initialize: mode }, timeouts: { initMs: 300 }, isolation }),
        probe("fine"),
      ],
      async (runtime) => {
        const status = statusOf(runtime, "stuck");
        assertEquals(status.error?.code, "PLUGIN_TIMEOUT");
        assertStringIncludes(
          status.error!.message,
          "within 300 ms (timeouts.initMs in plugins.json)",
        );
        assertEquals(await runtime.registry.invoke("fine.noop", {}), null);
      },
    );
  });
}

Deno.test("a plugin whose worker crashes during initialize is reported as crashed", async () => {
  await withRuntime([probe("crashy", { config: { initialize: "crash" } })], (runtime) => {
    const status = statusOf(runtime, "crashy");
    assertEquals(status.error?.code, "PLUGIN_CRASHED");
    assertStringIncludes(status.error!.message, "probe crashed during initialize");
  });
});

Deno.test("a plugin that claims another plugin's action name is unloaded with all its registrations", async () => {
  await withRuntime(
    [probe("owner"), probe("claimer", { config: { claim: ["owner.echo"] } })],
    async (runtime) => {
      const status = statusOf(runtime, "claimer");
      assertEquals(status.error?.code, "NAME_CONFLICT");
      assertStringIncludes(status.error!.message, 'already owned by plugin "owner"');
      assertEquals(runtime.registry.listActions("claimer"), []);
      assertEquals(runtime.registry.getItem("probe", "claimer"), undefined);
      assertEquals(runtime.registry.getAction("owner.echo")?.owner, "owner");
      assertEquals(await runtime.registry.invoke("owner.echo", { x: 1 }), { x: 1 });
    },
  );
});

Deno.test("an input schema ajv refuses fails the plugin's first load, not a later call", async () => {
  const unresolvable = { type: "object", properties: { a: { $ref: "#/$defs/missing" } } };
  await withRuntime(
    [probe("badref", { config: { inputSchema: unresolvable } }), probe("fine")],
    async (runtime) => {
      const status = statusOf(runtime, "badref");
      assertEquals(status.error?.code, "PLUGIN_SHAPE");
      assertStringIncludes(
        status.error!.message,
        'plugin "badref" was refused: action "badref.shaped": invalid input schema: ',
      );
      assertEquals(runtime.registry.listActions("badref"), []);
      assertEquals(await runtime.registry.invoke("fine.noop", {}), null);
    },
  );
});

Deno.test("a plugin that throws halfway through registering leaves nothing registered", async () => {
  await withRuntime([probe("half", { config: { register: "throw" } })], (runtime) => {
    assertEquals(statusOf(runtime, "half").error?.code, "PLUGIN_INIT_FAILED");
    assertEquals(runtime.registry.listActions(), []);
    assertEquals(runtime.registry.listItems(), []);
  });
});

Deno.test("a call that hangs past its timeout fails, unloads the plugin and spares the others", async () => {
  await withRuntime(
    [probe("spinner", { ...FAST, isolation: "process" }), probe("bystander", FAST)],
    async (runtime) => {
      const error = await assertRejects(
        () => runtime.registry.invoke("spinner.spin", {}),
        RepocateError,
      );
      assertEquals(error.code, "PLUGIN_TIMEOUT");
      assertStringIncludes(error.message, 'action "spinner.spin" did not finish within 2000 ms');
      assertEquals(statusOf(runtime, "spinner").state, "failed");
      assertEquals(runtime.registry.listActions("spinner"), []);
      assertEquals(await runtime.registry.invoke("bystander.echo", { still: "here" }), {
        still: "here",
      });
    },
  );
});

Deno.test("a worker that crashes after loading has its entries dropped and the rest keeps working", async () => {
  await withRuntime([probe("fragile"), probe("sturdy")], async (runtime) => {
    assertEquals(await runtime.registry.invoke("fragile.crash", {}), "crashing");
    for (let i = 0; i < 50 && statusOf(runtime, "fragile").state === "loaded"; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const status = statusOf(runtime, "fragile");
    assertEquals(status.state, "failed");
    assertEquals(status.error?.code, "PLUGIN_CRASHED");
    assertStringIncludes(status.error!.message, "probe crashed on purpose");
    assertEquals(runtime.registry.getAction("fragile.echo"), undefined);
    assertEquals(await runtime.registry.invoke("sturdy.echo", {}), {});
  });
});

Deno.test("an action's own error reaches the caller with the plugin named and the worker alive", async () => {
  await withRuntime([probe("failing")], async (runtime) => {
    const error = await assertRejects(
      () => runtime.registry.invoke("failing.fail", { message: "disk on fire" }),
      RepocateError,
    );
    assertEquals(error.code, "ACTION_FAILED");
    assertEquals(error.message, 'plugin "failing": disk on fire');
    assertEquals(await runtime.registry.invoke("failing.noop", {}), null);
  });
});

Deno.test("progress reaches the caller and a plugin's console output becomes a log line", async () => {
  await withRuntime([probe("chatty")], async (runtime, project) => {
    const seen: string[] = [];
    const result = await runtime.registry.invoke("chatty.progress", {}, {
      onProgress: (m) => seen.push(m),
    });
    assertEquals(result, "done");
    assertEquals(seen, ["one", "two", "three"]);
    assert(
      project.logs.includes("chatty info: stray stdout line from a plugin"),
      project.logs.join("\n"),
    );
  });
});

Deno.test("input that does not match the schema is refused before the plugin runs", async () => {
  await withRuntime([probe("strict")], async (runtime) => {
    const error = await assertRejects(
      () => runtime.registry.invoke("strict.read", { path: 42 }),
      RepocateError,
    );
    assertEquals(error.code, "INPUT_INVALID");
    assertEquals(error.message, 'action "strict.read": invalid input: input.path: must be string');
  });
});

Deno.test("a plugin for a newer API major is refused with advice to upgrade repocate", async () => {
  await withRuntime([{ name: "future-api", source: fixture("future_api.ts") }], (runtime) => {
    const status = statusOf(runtime, "future-api");
    assertEquals(status.error?.code, "PLUGIN_HANDSHAKE");
    assertEquals(
      status.error?.message,
      'plugin "future-api" speaks plugin API 2.0, this repocate speaks 1.0: upgrade repocate',
    );
  });
});

Deno.test("a plugin whose Ops.name differs from its manifest name is refused", async () => {
  await withRuntime([{
    name: "greeter",
    source: new URL("../examples/hello/mod.ts", import.meta.url).pathname,
  }], (runtime) => {
    const status = statusOf(runtime, "greeter");
    assertEquals(status.error?.code, "PLUGIN_HANDSHAKE");
    assertStringIncludes(
      status.error!.message,
      'Ops.name is "hello" but plugins.json names it "greeter"',
    );
  });
});

Deno.test("the run-time shape check names each missing or mistyped member", async () => {
  await withRuntime(
    [{ name: "not-operation", source: fixture("not_operation.ts") }],
    (runtime) => {
      const status = statusOf(runtime, "not-operation");
      assertEquals(status.error?.code, "PLUGIN_SHAPE");
      assertStringIncludes(
        status.error!.message,
        "Ops.version must be a non-empty string (got number)",
      );
      assertStringIncludes(status.error!.message, "Ops.registerWithRegistry must be a function");
    },
  );
});

Deno.test("the type check refuses an Ops that does not satisfy Operation, naming the member", async () => {
  await withRuntime(
    [{ name: "not-operation", source: fixture("not_operation.ts") }, probe("typed")],
    (runtime) => {
      const status = statusOf(runtime, "not-operation");
      assertEquals(status.error?.code, "PLUGIN_TYPE_CHECK");
      assertStringIncludes(status.error!.message, "Ops does not satisfy Operation");
      assertMatch(status.error!.message, /version|registerWithRegistry/);
      assertEquals(statusOf(runtime, "typed").state, "loaded");
    },
    { typeCheck: true },
  );
});

Deno.test("unloading a plugin at run time drops its entries and stops its worker", async () => {
  await withRuntime([probe("leaving"), probe("staying")], async (runtime) => {
    assertEquals(await runtime.host.unload("leaving"), true);
    assertEquals(runtime.registry.listActions("leaving"), []);
    assertEquals(runtime.registry.getItem("probe", "leaving"), undefined);
    assertEquals(statusOf(runtime, "leaving").state, "unloaded");
    const error = await assertRejects(
      () => runtime.registry.invoke("leaving.echo", {}),
      RepocateError,
    );
    assertEquals(error.code, "ACTION_NOT_FOUND");
    assertEquals(await runtime.registry.invoke("staying.echo", {}), {});
    assertEquals(await runtime.host.unload("leaving"), false);
  });
});

Deno.test("a disabled plugin is listed but not loaded", async () => {
  await withRuntime([probe("sleeping", { enabled: false })], (runtime) => {
    assertEquals(statusOf(runtime, "sleeping").state, "disabled");
    assertEquals(runtime.registry.listActions(), []);
  });
});

Deno.test("a local plugin outside repocate's plugins/ carries a development-override warning", async () => {
  await withRuntime([probe("dev")], (_runtime, project) => {
    assert(
      project.logs.some((l) => l.startsWith("dev warn:") && l.includes("development override")),
      project.logs.join("\n"),
    );
    return Promise.resolve();
  });
});

Deno.test("an edited local plugin is rebuilt on the next load, never served stale from the cache", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/edited.ts`;
  const source = (answer: string) =>
    `export const Ops = { name: "edited", version: "1.0.0", apiVersion: "1.0", initialize() {},
  registerWithRegistry(r: any) { r.registerAction({ name: "edited.answer", description: "d", inputSchema: {}, handler: () => ${
      JSON.stringify(answer)
    } }); } };\n`;
  try {
    await Deno.writeTextFile(file, source("first"));
    const project = await tempProject([{ name: "edited", source: file }]);
    try {
      for (const answer of ["first", "first", "second answer"]) {
        if (answer !== "first") await Deno.writeTextFile(file, source(answer));
        const runtime = await openRuntime(project.options());
        try {
          assertEquals(await runtime.registry.invoke("edited.answer", {}), answer);
        } finally {
          await runtime.close();
        }
      }
    } finally {
      await project.cleanup();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unchanged plugin is registered from the cache and its Worker starts on its first call", async () => {
  const project = await tempProject([probe("lazy"), probe("other")]);
  try {
    await (await openRuntime(project.options())).close();
    const runtime = await openRuntime(project.options());
    try {
      assertEquals(runtime.host.get("lazy")?.state, "loaded");
      assertEquals(runtime.host.get("lazy")?.running, false);
      assertEquals(
        runtime.registry.getAction("lazy.echo")?.owner,
        "lazy",
        "listed without a Worker",
      );
      assertEquals(await runtime.registry.invoke("lazy.echo", { n: 1 }), { n: 1 });
      assertEquals(runtime.host.get("lazy")?.running, true);
      assertEquals(runtime.host.get("other")?.running, false, "only the plugin called was started");
    } finally {
      await runtime.close();
    }
    const eager = await openRuntime(project.options({ lazy: false }));
    try {
      assertEquals(eager.host.list().map((s) => s.running), [true, true]);
    } finally {
      await eager.close();
    }
  } finally {
    await project.cleanup();
  }
});

Deno.test("preparing actions starts their plugins' Workers side by side, before any call", async () => {
  const project = await tempProject([probe("first"), probe("second"), probe("idle")]);
  try {
    await (await openRuntime(project.options())).close();
    const runtime = await openRuntime(project.options());
    try {
      assertEquals(runtime.host.list().map((s) => s.running), [false, false, false]);
      runtime.registry.prepare(["first.echo", "second.noop", "no.such-action"]);
      const started = () => ["first", "second"].every((n) => runtime.host.get(n)?.running);
      for (let i = 0; i < 100 && !started(); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assertEquals(runtime.host.list().map((s) => [s.name, s.running]), [
        ["first", true],
        ["second", true],
        ["idle", false],
      ]);
      assertEquals(await runtime.registry.invoke("first.echo", { n: 2 }), { n: 2 });
    } finally {
      await runtime.close();
    }
  } finally {
    await project.cleanup();
  }
});

Deno.test("a cached plugin that no longer starts fails its first call, is unloaded, and loads eagerly next time", async () => {
  const needed = await Deno.makeTempFile();
  const project = await tempProject([
    probe("fragile", {
      config: { initialize: "read", path: needed },
      permissions: { read: [needed] },
    }),
  ]);
  try {
    await (await openRuntime(project.options())).close();
    await Deno.remove(needed);
    const runtime = await openRuntime(project.options());
    try {
      assertEquals(runtime.host.get("fragile")?.state, "loaded");
      const error = await assertRejects(
        () => runtime.registry.invoke("fragile.noop", {}),
        RepocateError,
      );
      assertEquals(error.code, "PLUGIN_INIT_FAILED");
      assertEquals(runtime.host.get("fragile")?.state, "failed");
      assertEquals(runtime.registry.listActions("fragile"), []);
      assertEquals(
        project.logs.filter((line) => line.startsWith("fragile error:")).length,
        1,
        `started once, though the call also prepared it: ${project.logs.join(" | ")}`,
      );
    } finally {
      await runtime.close();
    }
    const again = await openRuntime(project.options());
    try {
      assertEquals(
        again.host.get("fragile")?.state,
        "failed",
        "the failed start dropped the cache entry",
      );
    } finally {
      await again.close();
    }
  } finally {
    await project.cleanup();
  }
});

Deno.test("an item a plugin replaces is never missing from the registry, and is current when its call returns", async () => {
  for (const isolation of ["worker", "process"]) {
    await withRuntime([probe("swapper", { isolation })], async (runtime) => {
      const missing: string[] = [];
      runtime.registry.subscribe((event) => {
        if (event.type === "item-removed") missing.push(`${event.item.kind}/${event.item.name}`);
      });
      assertEquals(await runtime.registry.invoke("swapper.relabel", { times: 3 }), 3);
      assertEquals(missing, [], `${isolation}: no reader saw the item gone`);
      assertEquals(
        runtime.registry.listItems("probe").map((i) => i.metadata),
        [{ round: 2 }],
        `${isolation}: the last replacement is there when the call returns`,
      );
    });
  }
});

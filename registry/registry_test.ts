import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import type { JsonSchema, JsonValue } from "../interfaces.ts";
import { RepocateError } from "../errors.ts";
import { Registry } from "./registry.ts";
import type { Invoker, RegisteredAction, RegisteredItem, RegistryEvent } from "./types.ts";

type NewAction = Omit<RegisteredAction, "owner">;
type NewItem = Omit<RegisteredItem, "owner">;

const OPEN_SCHEMA: JsonSchema = { type: "object" };

const CLONE_SCHEMA: JsonSchema = {
  type: "object",
  required: ["url"],
  properties: {
    url: { type: "string" },
    depth: { type: "integer", minimum: 1 },
    mode: { enum: ["fast", "full"] },
    tags: { type: "array", items: { type: "string" } },
  },
  additionalProperties: false,
};

function action(name: string, extra: Partial<NewAction> = {}): NewAction {
  return {
    name,
    description: `runs ${name}`,
    inputSchema: OPEN_SCHEMA,
    invoke: () => Promise.resolve(null),
    ...extra,
  };
}

function item(kind: string, name: string, metadata?: RegisteredItem["metadata"]): NewItem {
  return metadata ? { kind, name, metadata } : ({ kind, name } as NewItem);
}

/** A registry that records every event it emits. */
function recorded(): { registry: Registry; events: RegistryEvent[] } {
  const registry = new Registry();
  const events: RegistryEvent[] = [];
  registry.subscribe((event) => events.push(event));
  return { registry, events };
}

/** A compact form of events for comparisons. */
function summary(events: RegistryEvent[]): string[] {
  return events.map((e) =>
    "item" in e
      ? `${e.type} ${e.item.kind}/${e.item.name} (${e.item.owner})`
      : `${e.type} ${e.action.name} (${e.action.owner})`
  );
}

/** An invoker that counts its calls. */
function counting(result: JsonValue = "done"): { invoke: Invoker; calls: JsonValue[] } {
  const calls: JsonValue[] = [];
  return {
    calls,
    invoke: (input) => {
      calls.push(input);
      return Promise.resolve(result);
    },
  };
}

Deno.test("registry adds a batch's items and actions with their owner", () => {
  const { registry, events } = recorded();
  registry.registerBatch("git", {
    items: [item("repo", "app", { url: "https://x.example/app.git" }), item("repo", "lib")],
    actions: [action("git.clone"), action("git.pull")],
  });
  assertEquals(registry.listItems(), [
    { kind: "repo", name: "app", metadata: { url: "https://x.example/app.git" }, owner: "git" },
    { kind: "repo", name: "lib", metadata: {}, owner: "git" },
  ]);
  assertEquals(registry.listActions(), [
    { name: "git.clone", owner: "git", description: "runs git.clone", inputSchema: OPEN_SCHEMA },
    { name: "git.pull", owner: "git", description: "runs git.pull", inputSchema: OPEN_SCHEMA },
  ]);
  assertEquals(summary(events), [
    "item-added repo/app (git)",
    "item-added repo/lib (git)",
    "action-added git.clone (git)",
    "action-added git.pull (git)",
  ]);
});

Deno.test("registry adds a batch whole or not at all when its third action conflicts", () => {
  const { registry, events } = recorded();
  registry.registerBatch("docker", { items: [], actions: [action("docker.run")] });
  events.length = 0;

  const error = assertThrows(
    () =>
      registry.registerBatch("git", {
        items: [item("repo", "app"), item("repo", "lib")],
        actions: [action("git.clone"), action("git.pull"), action("docker.run")],
      }),
    RepocateError,
  );
  assertEquals(error.code, "NAME_CONFLICT");
  assertEquals(registry.listActions("git"), []);
  assertEquals(registry.listItems(), []);
  assertEquals(registry.getAction("git.clone"), undefined);
  assertEquals(events, [], "nothing was announced");
  assertEquals(registry.getAction("docker.run")?.owner, "docker");
});

Deno.test("registry adds nothing of a batch whose third action has a bad name or schema", () => {
  const { registry, events } = recorded();
  const cases: NewAction[] = [
    action("Git.Bad"),
    action("git.bad", { inputSchema: { type: "no-such-type" } }),
  ];
  for (const third of cases) {
    assertThrows(
      () =>
        registry.registerBatch("git", {
          items: [item("repo", "app")],
          actions: [action("git.clone"), action("git.pull"), third],
        }),
      TypeError,
    );
  }
  assertEquals(registry.listActions(), []);
  assertEquals(registry.listItems(), []);
  assertEquals(events, []);
});

Deno.test("registry refuses an action name another plugin owns, naming both plugins", () => {
  const registry = new Registry();
  registry.registerBatch("git", { items: [], actions: [action("git.clone")] });
  const error = assertThrows(
    () => registry.registerBatch("impostor", { items: [], actions: [action("git.clone")] }),
    RepocateError,
  );
  assertEquals(error.code, "NAME_CONFLICT");
  assertEquals(
    error.message,
    'cannot register action "git.clone" for plugin "impostor": already owned by plugin "git"',
  );
  assertEquals(registry.getAction("git.clone")?.owner, "git");
});

Deno.test("registry refuses an item another plugin owns, naming both plugins", () => {
  const registry = new Registry();
  registry.registerBatch("git", { items: [item("repo", "app")], actions: [] });
  const error = assertThrows(
    () => registry.registerBatch("other", { items: [item("repo", "app")], actions: [] }),
    RepocateError,
  );
  assertEquals(error.code, "NAME_CONFLICT");
  assertEquals(
    error.message,
    'cannot register item repo "app" for plugin "other": already owned by plugin "git"',
  );
  assertEquals(registry.getItem("repo", "app")?.owner, "git");
  // The same name in another kind is a different item.
  registry.registerBatch("other", { items: [item("image", "app")], actions: [] });
  assertEquals(registry.getItem("image", "app")?.owner, "other");
});

Deno.test("registry lets an owner register its own item again, replacing its metadata", () => {
  const { registry, events } = recorded();
  registry.registerBatch("git", { items: [item("repo", "app", { v: 1 })], actions: [] });
  registry.registerBatch("git", { items: [item("repo", "app", { v: 2 })], actions: [] });
  assertEquals(registry.listItems(), [
    { kind: "repo", name: "app", metadata: { v: 2 }, owner: "git" },
  ]);
  assertEquals(summary(events), ["item-added repo/app (git)", "item-added repo/app (git)"]);
});

Deno.test("registry refuses an owner's second registration of its own action", () => {
  const registry = new Registry();
  registry.registerBatch("git", { items: [], actions: [action("git.clone")] });
  const error = assertThrows(
    () => registry.registerBatch("git", { items: [], actions: [action("git.clone")] }),
    RepocateError,
  );
  assertEquals(error.code, "NAME_CONFLICT");
  assertStringIncludes(error.message, 'already owned by plugin "git"');
});

Deno.test("registry refuses a batch that names the same action or item twice", () => {
  const registry = new Registry();
  const twiceAction = assertThrows(
    () =>
      registry.registerBatch("git", {
        items: [],
        actions: [action("git.clone"), action("git.clone")],
      }),
    RepocateError,
  );
  assertEquals(twiceAction.code, "NAME_CONFLICT");
  const twiceItem = assertThrows(
    () =>
      registry.registerBatch("git", { items: [item("repo", "a"), item("repo", "a")], actions: [] }),
    RepocateError,
  );
  assertEquals(twiceItem.code, "NAME_CONFLICT");
  assertEquals(registry.listActions(), []);
  assertEquals(registry.listItems(), []);
});

Deno.test("registry refuses invalid action names with a TypeError", () => {
  const registry = new Registry();
  const bad: unknown[] = [
    "clone",
    "Git.clone",
    "git.Clone",
    "git..clone",
    "git.",
    ".git",
    "git.1clone",
    "git clone.x",
    "git_x.clone",
    `git.${"a".repeat(130)}`,
    "",
    42,
    undefined,
  ];
  for (const name of bad) {
    const error = assertThrows(
      () =>
        registry.registerBatch("git", {
          items: [],
          actions: [action(name as string)],
        }),
      TypeError,
    );
    assertStringIncludes(error.message, `invalid action name ${JSON.stringify(name)}`);
  }
  registry.registerBatch("git", {
    items: [],
    actions: [action("git.clone"), action("docker.container.start-all"), action("a1.b-2")],
  });
  assertEquals(registry.listActions().length, 3);
});

Deno.test("registry refuses invalid item kinds and names with a TypeError", () => {
  const registry = new Registry();
  for (const kind of ["Repo", "", "1repo", "re po", "repo_x", "a".repeat(64), 7]) {
    const error = assertThrows(
      () => registry.registerBatch("git", { items: [item(kind as string, "ok")], actions: [] }),
      TypeError,
    );
    assertStringIncludes(error.message, "invalid item kind");
  }
  for (const name of ["", "a/b", " lead", "has space", "-dash-first", "a".repeat(201), null]) {
    const error = assertThrows(
      () => registry.registerBatch("git", { items: [item("repo", name as string)], actions: [] }),
      TypeError,
    );
    assertStringIncludes(error.message, "invalid item name");
  }
  registry.registerBatch("git", {
    items: [item("repo", "Owner.Repo_1:main@v1+x-y"), item("image-builder", "a".repeat(200))],
    actions: [],
  });
  assertEquals(registry.listItems().length, 2);
});

Deno.test("registry refuses an action whose input schema is not a valid JSON Schema", () => {
  const registry = new Registry();
  const invalid: JsonSchema[] = [
    { type: "nope" },
    { required: "url" },
    { minLength: -1 },
    { properties: { url: { pattern: "(" } } },
    { $defs: { url: 1 }, $ref: "#/$defs/url" },
    { enum: [] },
  ];
  for (const inputSchema of invalid) {
    const error = assertThrows(
      () =>
        registry.registerBatch("git", {
          items: [],
          actions: [action("git.clone", { inputSchema })],
        }),
      TypeError,
    );
    assertStringIncludes(error.message, 'action "git.clone" of plugin "git": invalid input schema');
  }
  assertEquals(registry.listActions(), []);
});

Deno.test("an action whose schema only ajv finds invalid fails every call with PLUGIN_SHAPE", async () => {
  const registry = new Registry();
  const { invoke, calls } = counting();
  registry.registerBatch("git", {
    items: [],
    actions: [action("git.clone", { inputSchema: { $ref: "#/$defs/missing" }, invoke })],
  });
  for (let i = 0; i < 2; i++) {
    const error = await assertRejects(() => registry.invoke("git.clone", {}), RepocateError);
    assertEquals(error.code, "PLUGIN_SHAPE");
    assertStringIncludes(
      error.message,
      'action "git.clone" of plugin "git": invalid input schema: can\'t resolve reference',
    );
  }
  assertEquals(calls, [], "the invoker was never called");
});

Deno.test("a schema whose check never ends fails the call with PLUGIN_SHAPE, not a stack overflow", async () => {
  const registry = new Registry();
  const { invoke, calls } = counting();
  registry.registerBatch("loop", {
    items: [],
    actions: [
      // ajv compiles this one; checking any input recurses until the stack overflows.
      action("loop.self", {
        inputSchema: { $id: "https://plugins.example/l.json", $ref: "#" },
        invoke,
      }),
      // ajv's compiler itself recurses on this one.
      action("loop.deep", {
        inputSchema: { properties: { a: { $ref: "#/properties/a" } } },
        invoke,
      }),
    ],
  });
  const cases = [
    ["loop.self", "checking input against it never ends: a $ref refers back to itself"],
    ["loop.deep", "its $refs refer back to themselves without end"],
  ] as const;
  for (const [name, why] of cases) {
    const error = await assertRejects(() => registry.invoke(name, { a: 1 }), RepocateError);
    assertEquals(error.code, "PLUGIN_SHAPE");
    assertStringIncludes(
      error.message,
      `action "${name}" of plugin "loop": invalid input schema: ${why}`,
    );
    assert(!error.message.includes("\n"), error.message);
  }
  assertEquals(calls, [], "the invoker never ran");
  assertEquals(await registry.invoke("loop.self", null).catch((e) => e.code), "PLUGIN_SHAPE");
});

Deno.test("registry accepts a plugin again after unloading it, even when its schema has an $id", async () => {
  const registry = new Registry();
  const schema = (): JsonSchema => ({
    $id: "https://plugins.example/git/clone.json",
    type: "object",
    properties: { url: { $ref: "#/$defs/url" } },
    $defs: { url: { type: "string" } },
  });
  registry.registerBatch("git", {
    items: [],
    actions: [action("git.clone", { inputSchema: schema() })],
  });
  assertEquals(await registry.invoke("git.clone", { url: "x" }), null); // compiled now
  assertEquals(registry.unregisterOwner("git"), 1);
  registry.registerBatch("git", {
    items: [],
    actions: [action("git.clone", { inputSchema: schema() })],
  });
  assertEquals(registry.getAction("git.clone")?.owner, "git");
  assertEquals(await registry.invoke("git.clone", { url: "x" }), null); // and again
  await assertRejects(() => registry.invoke("git.clone", { url: 1 }), RepocateError);
});

Deno.test("invoke refuses input that does not match the schema before the invoker runs", async () => {
  const registry = new Registry();
  const { invoke, calls } = counting();
  registry.registerBatch("git", {
    items: [],
    actions: [action("git.clone", { inputSchema: CLONE_SCHEMA, invoke })],
  });
  const cases: [JsonValue, string[]][] = [
    [{ url: 3 }, ["input.url: must be string"]],
    [{}, ["input: must have required property 'url'"]],
    [{ url: "x", extra: 1 }, ["input: must NOT have additional properties (extra)"]],
    [{ url: "x", mode: "slow" }, [
      "input.mode: must be equal to one of the allowed values: fast, full",
    ]],
    [{ url: "x", tags: ["a", 2] }, ["input.tags[1]: must be string"]],
    [{ url: 1, depth: 0 }, ["input.url: must be string", "input.depth: must be >= 1"]],
    ["just a string", ["input: must be object"]],
    [null, ["input: must be object"]],
  ];
  for (const [input, faults] of cases) {
    const error = await assertRejects(() => registry.invoke("git.clone", input), RepocateError);
    assertEquals(error.code, "INPUT_INVALID");
    assert(error.isUsage);
    assertEquals(error.message, `action "git.clone": invalid input: ${faults.join("; ")}`);
  }
  assertEquals(calls, [], "the invoker was never called");
});

Deno.test("invoke passes valid input to the invoker and returns its result", async () => {
  const registry = new Registry();
  const { invoke, calls } = counting({ path: "/src/app" });
  registry.registerBatch("git", {
    items: [],
    actions: [action("git.clone", { inputSchema: CLONE_SCHEMA, invoke })],
  });
  const input = { url: "https://x.example/app.git", depth: 1, tags: ["a"] };
  assertEquals(await registry.invoke("git.clone", input), { path: "/src/app" });
  assertEquals(calls, [input]);
});

Deno.test("invoke lets the invoker's own errors through unchanged", async () => {
  const registry = new Registry();
  const failure = new RepocateError("ACTION_FAILED", "clone failed: host unreachable");
  registry.registerBatch("git", {
    items: [],
    actions: [action("git.clone", { invoke: () => Promise.reject(failure) })],
  });
  const error = await assertRejects(() => registry.invoke("git.clone", {}));
  assert(error === failure, "the very same error");
});

Deno.test("invoke of an unknown action fails with ACTION_NOT_FOUND and suggests neighbours", async () => {
  const registry = new Registry();
  registry.registerBatch("git", {
    items: [],
    actions: [action("git.clone"), action("git.pull"), action("docker.run")],
  });
  const near = await assertRejects(() => registry.invoke("git.clon", {}), RepocateError);
  assertEquals(near.code, "ACTION_NOT_FOUND");
  assertEquals(
    near.message,
    'no action "git.clon" (did you mean git.clone, git.pull?); `repocate actions list` shows them',
  );
  const far = await assertRejects(() => registry.invoke("svn.checkout", {}), RepocateError);
  assertEquals(far.code, "ACTION_NOT_FOUND");
  assertEquals(far.message, 'no action "svn.checkout"; `repocate actions list` shows them');
});

Deno.test("invoke suggests at most three neighbours", async () => {
  const registry = new Registry();
  registry.registerBatch("git", {
    items: [],
    actions: ["git.a", "git.b", "git.c", "git.d"].map((n) => action(n)),
  });
  const error = await assertRejects(() => registry.invoke("git.x", {}), RepocateError);
  assertStringIncludes(error.message, "(did you mean git.a, git.b, git.c?)");
});

Deno.test("invoke delivers progress messages to onProgress", async () => {
  const registry = new Registry();
  registry.registerBatch("git", {
    items: [],
    actions: [action("git.clone", {
      invoke: (_input, onProgress) => {
        onProgress("counting objects");
        onProgress("receiving objects: 100%");
        return Promise.resolve("ok");
      },
    })],
  });
  const seen: string[] = [];
  assertEquals(await registry.invoke("git.clone", {}, { onProgress: (m) => seen.push(m) }), "ok");
  assertEquals(seen, ["counting objects", "receiving objects: 100%"]);
  assertEquals(await registry.invoke("git.clone", {}), "ok", "progress without a listener is fine");
});

Deno.test("unregisterOwner removes exactly that owner's entries", () => {
  const { registry, events } = recorded();
  registry.registerBatch("git", {
    items: [item("repo", "app"), item("repo", "lib")],
    actions: [action("git.clone"), action("git.pull")],
  });
  registry.registerBatch("docker", {
    items: [item("container", "app"), item("image", "base")],
    actions: [action("docker.run")],
  });
  events.length = 0;

  assertEquals(registry.unregisterOwner("git"), 4);
  assertEquals(registry.listItems().map((i) => `${i.kind}/${i.name}:${i.owner}`), [
    "container/app:docker",
    "image/base:docker",
  ]);
  assertEquals(registry.listActions().map((a) => a.name), ["docker.run"]);
  assertEquals(summary(events), [
    "item-removed repo/app (git)",
    "item-removed repo/lib (git)",
    "action-removed git.clone (git)",
    "action-removed git.pull (git)",
  ]);
  assertEquals(registry.unregisterOwner("git"), 0);
  assertEquals(registry.unregisterOwner("nobody"), 0);
  assertEquals(events.length, 4, "removing nothing announces nothing");
});

Deno.test("unregisterItem removes only the caller's own item", () => {
  const { registry, events } = recorded();
  registry.registerBatch("git", { items: [item("repo", "app")], actions: [] });
  events.length = 0;
  assertEquals(registry.unregisterItem("docker", "repo", "app"), false);
  assertEquals(registry.getItem("repo", "app")?.owner, "git");
  assertEquals(registry.unregisterItem("git", "repo", "missing"), false);
  assertEquals(events, []);
  assertEquals(registry.unregisterItem("git", "repo", "app"), true);
  assertEquals(registry.getItem("repo", "app"), undefined);
  assertEquals(summary(events), ["item-removed repo/app (git)"]);
});

Deno.test("unregisterAction removes an action by name once", () => {
  const { registry, events } = recorded();
  registry.registerBatch("git", { items: [], actions: [action("git.clone")] });
  events.length = 0;
  assertEquals(registry.unregisterAction("git.clone"), true);
  assertEquals(registry.unregisterAction("git.clone"), false);
  assertEquals(registry.getAction("git.clone"), undefined);
  assertEquals(summary(events), ["action-removed git.clone (git)"]);
});

Deno.test("listItems filters by kind and sorts by kind then name", () => {
  const registry = new Registry();
  registry.registerBatch("b", {
    items: [item("repo", "zeta"), item("image", "base"), item("repo", "alpha")],
    actions: [],
  });
  registry.registerBatch("a", {
    items: [item("container", "web"), item("repo", "mid")],
    actions: [],
  });
  const key = (i: RegisteredItem) => `${i.kind}/${i.name}`;
  assertEquals(registry.listItems().map(key), [
    "container/web",
    "image/base",
    "repo/alpha",
    "repo/mid",
    "repo/zeta",
  ]);
  assertEquals(registry.listItems("repo").map(key), ["repo/alpha", "repo/mid", "repo/zeta"]);
  assertEquals(registry.listItems("volume"), []);
});

Deno.test("listActions sorts by name and filters by owner without exposing invokers", () => {
  const registry = new Registry();
  registry.registerBatch("git", { items: [], actions: [action("git.pull"), action("git.clone")] });
  registry.registerBatch("docker", { items: [], actions: [action("docker.run")] });
  assertEquals(registry.listActions().map((a) => a.name), ["docker.run", "git.clone", "git.pull"]);
  assertEquals(registry.listActions("git").map((a) => a.name), ["git.clone", "git.pull"]);
  assertEquals(registry.listActions("nobody"), []);
  for (const info of [...registry.listActions(), registry.getAction("git.clone")!]) {
    assertEquals(Object.keys(info).sort(), ["description", "inputSchema", "name", "owner"]);
  }
});

Deno.test("each change is announced once to every listener until it unsubscribes", () => {
  const registry = new Registry();
  const first: RegistryEvent[] = [];
  const second: RegistryEvent[] = [];
  const stopFirst = registry.subscribe((e) => first.push(e));
  registry.subscribe((e) => second.push(e));

  registry.registerBatch("git", { items: [item("repo", "app")], actions: [action("git.clone")] });
  assertEquals(summary(first), ["item-added repo/app (git)", "action-added git.clone (git)"]);
  assertEquals(second, first);

  stopFirst();
  registry.unregisterOwner("git");
  assertEquals(first.length, 2, "no events after unsubscribing");
  assertEquals(summary(second), [
    "item-added repo/app (git)",
    "action-added git.clone (git)",
    "item-removed repo/app (git)",
    "action-removed git.clone (git)",
  ]);
});

Deno.test("a throwing listener breaks neither the registry nor the other listeners", () => {
  const registry = new Registry();
  const seen: string[] = [];
  registry.subscribe(() => {
    throw new Error("listener bug");
  });
  registry.subscribe((e) => seen.push(e.type));
  registry.registerBatch("git", { items: [item("repo", "app")], actions: [action("git.clone")] });
  assertEquals(seen, ["item-added", "action-added"]);
  assertEquals(registry.listActions().length, 1);
  assertEquals(registry.unregisterOwner("git"), 2);
  assertEquals(seen, ["item-added", "action-added", "item-removed", "action-removed"]);
});

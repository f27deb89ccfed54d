import { assert, assertEquals, assertRejects } from "@std/assert";
import type { JsonObject } from "../../interfaces.ts";
import { gitActions, SCHEMAS } from "./actions.ts";
import { GitError } from "./errors.ts";

const settings = () => ({ workspaceRoot: "/ws" });
const ctx = { log: { debug() {}, info() {}, warn() {}, error() {} }, progress() {} };

Deno.test("every action has a dotted name, a one-line description and a closed object schema", () => {
  const actions = gitActions(settings);
  assertEquals(actions.map((a) => a.name), [
    "git.url.parse",
    "git.clone",
    "git.status",
    "git.snapshot.create",
    "git.snapshot.list",
    "git.snapshot.rollback",
  ]);
  for (const action of actions) {
    assert(/^git(\.[a-z]+)+$/.test(action.name), action.name);
    assert(action.description.length > 10 && action.description.length <= 100, action.name);
    assert(!action.description.includes("\n"), action.name);
    const schema = action.inputSchema;
    assertEquals(schema.type, "object");
    assertEquals(schema.additionalProperties, false);
    const properties = Object.keys(schema.properties as JsonObject);
    for (const key of schema.required as string[]) assert(properties.includes(key), key);
    assertEquals(JSON.parse(JSON.stringify(schema)), schema, "plain JSON");
  }
  assertEquals(SCHEMAS["git.clone"].required, ["url", "dest"]);
  assertEquals(SCHEMAS["git.snapshot.rollback"].required, ["dir", "id"]);
});

Deno.test("handlers check their input even without the host's validation", async () => {
  const byName = new Map(gitActions(settings).map((a) => [a.name, a]));
  const call = (name: string, input: unknown) =>
    // deno-lint-ignore no-explicit-any
    Promise.resolve(byName.get(name)!.handler(input as any, ctx));
  const cases: [string, unknown, string][] = [
    ["git.url.parse", "https://h/o/r", "must be an object"],
    ["git.url.parse", {}, 'needs "url"'],
    ["git.url.parse", { url: 1 }, '"url" must be a string'],
    ["git.url.parse", { url: "https://h/o/r", extra: 1 }, 'does not take "extra"'],
    ["git.url.parse", { url: "https://h/o/r", taken: "x" }, "must be an array"],
    ["git.url.parse", { url: "https://h/o/r", taken: [1] }, "must hold strings"],
    ["git.clone", { url: "https://h/o/r", dest: "/ws/x", depth: "1" }, "must be a number"],
    ["git.status", { dir: null }, "must be a string"],
  ];
  for (const [name, input, message] of cases) {
    const error = await assertRejects(() => call(name, input), GitError, message);
    assertEquals(error.code, "GIT_INPUT_INVALID");
  }
});

Deno.test("git.url.parse returns plain JSON and honours taken names", async () => {
  const parse = gitActions(settings).find((a) => a.name === "git.url.parse")!;
  const out = await parse.handler({ url: "./repo", cwd: "/src", taken: ["repo"] }, ctx);
  assertEquals(JSON.parse(JSON.stringify(out)), out);
  const parsed = out as JsonObject;
  assertEquals(parsed.kind, "file");
  assertEquals(parsed.url, "file:///src/repo");
  assertEquals(parsed.baseName, "repo");
  assert(/^repo-[0-9a-f]{6}$/.test(parsed.suggestedName as string));
});

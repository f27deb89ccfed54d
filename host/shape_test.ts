import { assertEquals, assertStringIncludes } from "@std/assert";
import { PLUGIN_API_VERSION } from "../interfaces.ts";
import { apiMismatch, shapeFaults } from "./shape.ts";

/** A complete, well-formed `Ops`. */
function ops(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "hello",
    version: "1.2.3",
    apiVersion: PLUGIN_API_VERSION,
    initialize() {},
    registerWithRegistry() {},
    ...overrides,
  };
}

function without(key: string): Record<string, unknown> {
  const value = ops();
  delete value[key];
  return value;
}

Deno.test("shapeFaults finds nothing wrong with a well-formed Ops", () => {
  assertEquals(shapeFaults(ops()), []);
  assertEquals(shapeFaults(ops({ dispose() {} })), []);
  assertEquals(shapeFaults(ops({ initialize: async () => {}, dispose: undefined })), []);
});

Deno.test("shapeFaults accepts a class instance whose methods live on the prototype", () => {
  class Plugin {
    readonly name = "hello";
    readonly version = "0.1.0";
    readonly apiVersion = "1.4";
    initialize(): void {}
    registerWithRegistry(): void {}
    dispose(): void {}
  }
  assertEquals(shapeFaults(new Plugin()), []);
});

Deno.test("shapeFaults says when the module does not export Ops", () => {
  assertEquals(shapeFaults(undefined), ["the module does not export `Ops`"]);
});

Deno.test("shapeFaults refuses an Ops that is not an object", () => {
  for (const value of [null, 42, "ops", true, () => {}]) {
    assertEquals(shapeFaults(value), ["`Ops` is not an object"], String(value));
  }
});

Deno.test("shapeFaults names each missing member", () => {
  assertEquals(shapeFaults(without("name")), [
    "Ops.name must be a non-empty string (got undefined)",
  ]);
  assertEquals(shapeFaults(without("version")), [
    "Ops.version must be a non-empty string (got undefined)",
  ]);
  assertEquals(shapeFaults(without("apiVersion")), [
    "Ops.apiVersion must be a non-empty string (got undefined)",
  ]);
  assertEquals(shapeFaults(without("initialize")), [
    "Ops.initialize must be a function (got undefined)",
  ]);
  assertEquals(shapeFaults(without("registerWithRegistry")), [
    "Ops.registerWithRegistry must be a function (got undefined)",
  ]);
});

Deno.test("shapeFaults lists every fault of an empty object at once", () => {
  assertEquals(shapeFaults({}), [
    "Ops.name must be a non-empty string (got undefined)",
    "Ops.version must be a non-empty string (got undefined)",
    "Ops.apiVersion must be a non-empty string (got undefined)",
    "Ops.initialize must be a function (got undefined)",
    "Ops.registerWithRegistry must be a function (got undefined)",
  ]);
});

Deno.test("shapeFaults refuses members of the wrong type, naming the type found", () => {
  assertEquals(shapeFaults(ops({ name: "" })), [
    "Ops.name must be a non-empty string (got string)",
  ]);
  assertEquals(shapeFaults(ops({ version: 1 })), [
    "Ops.version must be a non-empty string (got number)",
  ]);
  assertEquals(shapeFaults(ops({ initialize: "init" })), [
    "Ops.initialize must be a function (got string)",
  ]);
  assertEquals(shapeFaults(ops({ registerWithRegistry: {} })), [
    "Ops.registerWithRegistry must be a function (got object)",
  ]);
});

Deno.test("shapeFaults refuses an apiVersion that is not major.minor", () => {
  for (const apiVersion of ["1", "1.0.0", "v1.0", "1.x", " 1.0", "latest"]) {
    assertEquals(shapeFaults(ops({ apiVersion })), [
      `Ops.apiVersion must look like "1.0" (got "${apiVersion}")`,
    ]);
  }
  assertEquals(shapeFaults(ops({ apiVersion: "12.34" })), []);
});

Deno.test("shapeFaults refuses a dispose that is present but not a function", () => {
  for (const dispose of [null, "bye", 0, {}]) {
    const faults = shapeFaults(ops({ dispose }));
    assertEquals(faults.length, 1);
    assertStringIncludes(faults[0], "Ops.dispose must be a function when present");
  }
  assertEquals(shapeFaults(ops({ dispose: null })), [
    "Ops.dispose must be a function when present (got object)",
  ]);
});

Deno.test("apiMismatch asks to upgrade repocate when the plugin's major is newer", () => {
  assertEquals(
    apiMismatch("hello", "2.0", "1.3"),
    'plugin "hello" speaks plugin API 2.0, this repocate speaks 1.3: upgrade repocate',
  );
});

Deno.test("apiMismatch asks to upgrade the plugin when its major is older", () => {
  assertEquals(
    apiMismatch("hello", "1.9", "2.0"),
    'plugin "hello" speaks plugin API 1.9, this repocate speaks 2.0: upgrade plugin "hello"',
  );
});

Deno.test("apiMismatch accepts the same major with a different minor", () => {
  assertEquals(apiMismatch("hello", "1.0", "1.7"), null);
  assertEquals(apiMismatch("hello", "1.9", "1.0"), null);
  assertEquals(apiMismatch("hello", PLUGIN_API_VERSION, PLUGIN_API_VERSION), null);
});

Deno.test("apiMismatch compares majors as numbers, not text", () => {
  assertStringIncludes(apiMismatch("p", "10.0", "9.0")!, "upgrade repocate");
  assertStringIncludes(apiMismatch("p", "9.0", "10.0")!, 'upgrade plugin "p"');
});

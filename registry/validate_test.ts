/**
 * validate.ts's schemaFault finds faults only in schemas ajv refuses (and in most of those),
 * and a lazily compiled validator reports exactly what ajv does. Schemas are generated from a
 * fixed seed.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import type { JsonSchema, JsonValue } from "../interfaces.ts";
import { compileSchema, InvalidSchemaError, lazyValidator, schemaFault } from "./validate.ts";
import { seededRandom } from "../tests/_support/random.ts";

const rng = seededRandom;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const VALUES: Record<string, unknown[]> = {
  type: ["string", "integer", "object", "array", "null", ["string", "null"], ["a"], [], "str", 1, [
    "string",
    "string",
  ]],
  required: [["url"], [], ["a", "a"], "url", [1]],
  enum: [["fast", "full"], [], [1, null, { a: 1 }], "x"],
  const: [1, "x", null, { a: [1] }],
  minLength: [0, 1, -1, 1.5, "1"],
  maxLength: [0, 2048, -1],
  minItems: [0, 3, -2],
  maxItems: [10000, 1.1],
  minProperties: [1, -1],
  maxProperties: [2, "2"],
  minimum: [1, -5.5, "0"],
  maximum: [10, null],
  exclusiveMinimum: [0, true],
  exclusiveMaximum: [9, false],
  multipleOf: [2, 0.5, 0, -1],
  pattern: ["^[a-z]+$", "(", "\\p{L}+", "[", "\\d"],
  uniqueItems: [true, "yes"],
  title: ["t", 1],
  description: ["d", 1],
  $comment: ["c", null],
  default: [1, { a: 1 }],
  examples: [[1], 1],
  deprecated: [true, 1],
  readOnly: [false],
  writeOnly: [true],
  format: ["uri", "nope"],
  $ref: ["#/$defs/x", "#"],
  $id: ["https://example.com/s"],
  nonsense: [1, { type: "nope" }],
  $defs: [{ a: { type: "string" } }, { a: 1 }, 1, { a: { minLength: -1 } }],
  definitions: [{ a: {} }, { a: "x" }],
  patternProperties: [{ "^a": { type: "string" } }, { "(": {} }, { "\\p{L}": {} }, { a: 2 }, []],
  prefixItems: [[{}], [], [1], {}],
  contains: [{ type: "string" }, 1],
  minContains: [0, -1, 1.5],
  if: [{ type: "string" }, 1],
  then: [{ type: "nope" }, true],
  else: [false, "x"],
  dependentRequired: [{ a: ["b"] }, { a: ["b", "b"] }, { a: "b" }, []],
  dependentSchemas: [{ a: {} }, { a: null }],
  unevaluatedProperties: [false, 1],
  contentEncoding: ["base64", 1],
  $anchor: ["a1", "1a"],
  additionalItems: [1],
  dependencies: [{ a: ["x"] }, { a: 1 }],
  $schema: [
    "https://json-schema.org/draft/2020-12/schema",
    "http://json-schema.org/draft-07/schema#",
  ],
};

function randomSchema(r: () => number, depth = 0): unknown {
  if (depth > 3 || r() < 0.1) return pick(r, [true, false, {}, 1, null, []]);
  const schema: Record<string, unknown> = {};
  const keys = Object.keys(VALUES);
  for (let i = 0; i < 1 + Math.floor(r() * 4); i++) {
    const kind = r();
    if (kind < 0.12) {
      schema.properties = Object.fromEntries(
        Array.from(
          { length: Math.floor(r() * 3) },
          (_, k) => [pick(r, [`p${k}`, "a b", "constructor"]), randomSchema(r, depth + 1)],
        ),
      );
    } else if (kind < 0.2) {
      schema[pick(r, ["items", "additionalProperties", "propertyNames", "not"])] = randomSchema(
        r,
        depth + 1,
      );
    } else if (kind < 0.26) {
      schema[pick(r, ["anyOf", "oneOf", "allOf"])] = Array.from(
        { length: Math.floor(r() * 3) },
        () => randomSchema(r, depth + 1),
      );
    } else {
      const key = pick(r, keys);
      schema[key] = pick(r, VALUES[key]);
    }
  }
  return schema;
}

const INPUTS: JsonValue[] = [
  null,
  1,
  -3,
  2.5,
  "",
  "abc",
  "ABC",
  "x".repeat(3000),
  true,
  [],
  [1, 1],
  ["a", "b"],
  {},
  { url: "https://x" },
  { url: 1, extra: true },
  { p0: "a", p1: [1], "a b": null },
];

/** What `fn` returns, or the class of what it throws. */
async function outcome(fn: () => unknown): Promise<unknown> {
  try {
    return { faults: await fn() };
  } catch (error) {
    return { threw: (error as Error).name };
  }
}

/** ajv's verdict on `schema`, without its warnings about unknown formats. */
async function ajvRefuses(schema: unknown): Promise<boolean> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    await compileSchema(structuredClone(schema) as JsonSchema);
    return false;
  } catch (error) {
    assert(error instanceof InvalidSchemaError, String(error));
    return true;
  } finally {
    console.warn = warn;
  }
}

Deno.test("lazy validators report exactly what eagerly compiled ones do", async () => {
  const r = rng(7);
  let accepted = 0;
  const warn = console.warn;
  console.warn = () => {}; // ajv's "unknown format ignored"
  try {
    for (let i = 0; i < 1500; i++) {
      const schema = randomSchema(r) as JsonSchema;
      if (await ajvRefuses(schema)) continue;
      accepted++;
      const eager = await compileSchema(structuredClone(schema));
      const lazy = lazyValidator(schema);
      for (const input of INPUTS) {
        // `{"$ref": "#"}` recurses without end: both refuse the schema then.
        const expected = await outcome(() => eager(input));
        assertEquals(await outcome(() => lazy(input)), expected, JSON.stringify(schema));
      }
    }
  } finally {
    console.warn = warn;
  }
  assert(accepted > 100, `only ${accepted} schemas accepted`);
});

Deno.test("schemaFault finds faults only in schemas ajv refuses, and in most of them", async () => {
  const r = rng(11);
  let refused = 0;
  let found = 0;
  for (let i = 0; i < 3000; i++) {
    const schema = randomSchema(r);
    const fault = schemaFault(schema);
    const shown = JSON.stringify(schema);
    if (!await ajvRefuses(schema)) {
      assertEquals(fault, undefined, `ajv accepts ${shown}`);
      continue;
    }
    refused++;
    if (fault) {
      found++;
      assert(fault.startsWith("schema is invalid: data"), fault);
    }
  }
  assert(refused > 300, `only ${refused} schemas refused`);
  assert(found > refused * 0.8, `schemaFault found ${found} of ${refused} refusals`);
});

Deno.test("schemaFault says where and what, in ajv's form", () => {
  assertEquals(
    schemaFault({ properties: { url: { type: "nope" } } }),
    "schema is invalid: data/properties/url/type must be a JSON type or a non-empty list of distinct ones",
  );
  assertEquals(
    schemaFault({ $defs: { "a/b": { minLength: -1 } } }),
    "schema is invalid: data/$defs/a~1b/minLength must be a non-negative integer",
  );
  assertEquals(
    schemaFault({ required: "url" }),
    "schema is invalid: data/required must be an array of distinct strings",
  );
  assertEquals(schemaFault(null), "schema is invalid: data must be an object or a boolean");
  for (const ok of [true, {}, { $ref: "#/$defs/missing" }, { nonsense: { type: "nope" } }]) {
    assertEquals(schemaFault(ok), undefined, JSON.stringify(ok));
  }
});

Deno.test("a schema only ajv finds invalid is refused by its validator, on every call", async () => {
  const validate = lazyValidator({
    type: "object",
    properties: { a: { $ref: "#/$defs/missing" } },
  });
  for (let i = 0; i < 2; i++) {
    await assertRejects(() => validate({}), InvalidSchemaError, "can't resolve reference");
  }
});

Deno.test("neither ajv nor the Node compatibility layer is on the registry's static import graph", async () => {
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL("./mod.ts", import.meta.url).href],
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(stdout)) as {
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
    }[];
  };
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const visit = (specifier: string) => {
    if (seen.has(specifier)) return;
    seen.add(specifier);
    for (const dep of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (!dep.isDynamic && dep.code) visit(dep.code.specifier);
    }
  };
  visit(new URL("./mod.ts", import.meta.url).href);
  const outside = [...seen].filter((s) => !s.startsWith("file:"));
  assertEquals(outside, [], "static imports outside the repository");
});

Deno.test("schemaFault passes the builtins' kind of schema and leaves $ref, $id and format to ajv", () => {
  for (
    const schema of [
      {
        type: "object",
        properties: {
          url: { type: "string", minLength: 1, maxLength: 2048 },
          taken: { type: "array", items: { type: "string" }, maxItems: 10000 },
          mode: { enum: ["fast", "full"] },
          env: { type: "object", propertyNames: { pattern: "^[A-Z_]+$" } },
        },
        required: ["url"],
        additionalProperties: false,
      },
      { $ref: "#/$defs/a", $defs: { a: {} } },
      { $id: "https://example.com/s", type: "object" },
      { type: "string", format: "uri" },
      JSON.parse('{"properties": {"__proto__": {"type": "string"}}}'),
      true,
    ]
  ) assertEquals(schemaFault(schema), undefined, JSON.stringify(schema));
});

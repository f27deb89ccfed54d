/**
 * validate.ts's plainSchema vouches only for schemas ajv accepts, and a lazily compiled
 * validator reports exactly what an eager one does. Schemas are generated from a fixed seed.
 */
import { assert, assertEquals } from "@std/assert";
import type { JsonSchema, JsonValue } from "../interfaces.ts";
import { compileSchema, lazyValidator, plainSchema } from "./validate.ts";

function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
  if: [{ type: "string" }],
  patternProperties: [{ "^a": { type: "string" } }],
  nonsense: [1],
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

Deno.test("plainSchema vouches only for schemas ajv compiles; lazy validators agree with eager ones", () => {
  const r = rng(7);
  let plain = 0;
  for (let i = 0; i < 1500; i++) {
    const schema = randomSchema(r) as JsonSchema;
    if (!plainSchema(schema)) continue;
    plain++;
    const eager = compileSchema(structuredClone(schema)); // throws if ajv refuses it
    const lazy = lazyValidator(schema);
    for (const input of INPUTS) assertEquals(lazy(input), eager(input), JSON.stringify(schema));
  }
  assert(plain > 100, `only ${plain} plain schemas generated`);
});

Deno.test("plainSchema takes the builtins' kind of schema and leaves $ref, $id and format to ajv", () => {
  assert(plainSchema({
    type: "object",
    properties: {
      url: { type: "string", minLength: 1, maxLength: 2048 },
      taken: { type: "array", items: { type: "string" }, maxItems: 10000 },
      mode: { enum: ["fast", "full"] },
      env: { type: "object", propertyNames: { pattern: "^[A-Z_]+$" } },
    },
    required: ["url"],
    additionalProperties: false,
  }));
  for (
    const schema of [
      { $ref: "#/$defs/a", $defs: { a: {} } },
      { $id: "https://example.com/s", type: "object" },
      { type: "string", format: "uri" },
      { type: "nope" },
      JSON.parse('{"properties": {"__proto__": {"type": "string"}}}'),
      true,
    ]
  ) assert(!plainSchema(schema), JSON.stringify(schema));
});

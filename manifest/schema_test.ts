import { assert, assertEquals } from "@std/assert";
import { Ajv2020 } from "ajv/dist/2020.js";
import { z } from "zod";
import { manifestSchema, PERMISSION_KEYS, PLUGIN_NAME } from "./schema.ts";
import { generateSchema, SCHEMA_ANNOTATIONS, SCHEMA_FILE, schemaText } from "./write_schema.ts";

const REGENERATE =
  "run `deno task schema` (manifest/write_schema.ts) and commit plugins.schema.json";

type Schema = Record<string, unknown> & { properties: Record<string, Schema> };

async function committed(): Promise<string> {
  return await Deno.readTextFile(SCHEMA_FILE);
}

Deno.test("the committed plugins.schema.json is exactly what write_schema.ts generates", async () => {
  assertEquals(await committed(), schemaText(), `plugins.schema.json is stale: ${REGENERATE}`);
});

Deno.test("the committed schema is zod's input-side JSON Schema of the manifest plus a title", async () => {
  const fromFile = JSON.parse(await committed()) as Record<string, unknown>;
  const { title, description, ...rest } = fromFile;
  assertEquals({ title, description }, { ...SCHEMA_ANNOTATIONS });
  assertEquals(rest, z.toJSONSchema(manifestSchema, { io: "input" }), REGENERATE);
  assertEquals(fromFile, generateSchema());
});

Deno.test("the committed schema is indented by two spaces and ends with one newline", async () => {
  const text = await committed();
  assert(text.startsWith('{\n  "$schema": "https://json-schema.org/draft/2020-12/schema",\n'));
  assert(text.endsWith("}\n") && !text.endsWith("\n\n"));
});

Deno.test("the JSON Schema lists every permission key and refuses unknown keys", () => {
  const schema = generateSchema() as Schema;
  assertEquals(schema.additionalProperties, false);
  assertEquals(schema.required, ["version", "plugins"]);
  const entry = (schema.properties.plugins as unknown as { items: Schema }).items;
  assertEquals(entry.additionalProperties, false);
  assertEquals(entry.required, ["name", "source"], "defaulted keys are optional in input");
  assertEquals((entry.properties.name as Record<string, unknown>).pattern, PLUGIN_NAME.source);
  const permissions = entry.properties.permissions;
  assertEquals(Object.keys(permissions.properties), [...PERMISSION_KEYS]);
  assertEquals(permissions.additionalProperties, false);
});

Deno.test("editors using the JSON Schema accept and refuse what the parser does", () => {
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(generateSchema());
  const good = {
    $schema: "./plugins.schema.json",
    version: 1,
    plugins: [
      { name: "a", source: "./a.ts" },
      {
        name: "b",
        source: "https://example.com/b@1.0.0/mod.ts",
        enabled: false,
        permissions: { read: ["${HOME}/x"], net: true },
        timeouts: { initMs: 100 },
        config: { nested: { list: [1, "two", null, false] } },
      },
    ],
  };
  assert(validate(good), JSON.stringify(validate.errors));
  assertEquals(manifestSchema.safeParse(good).success, true);

  const bad = [
    { version: 2, plugins: [] },
    { version: 1, plugins: [], extra: 1 },
    { version: 1, plugins: [{ name: "a", source: "a.ts", permisions: {} }] },
    { version: 1, plugins: [{ name: "a", source: "a.ts", permissions: { reed: true } }] },
    { version: 1, plugins: [{ name: "a", source: "a.ts", permissions: { net: "yes" } }] },
    { version: 1, plugins: [{ name: "Bad", source: "a.ts" }] },
    { version: 1, plugins: [{ name: "a", source: "" }] },
    { version: 1, plugins: [{ name: "a", source: "a.ts", timeouts: { callMs: 1 } }] },
  ];
  for (const manifest of bad) {
    assertEquals(validate(manifest), false, `schema accepted ${JSON.stringify(manifest)}`);
    assertEquals(manifestSchema.safeParse(manifest).success, false, JSON.stringify(manifest));
  }
});

/**
 * Writes `plugins.schema.json`, the JSON Schema editors use to check and complete
 * `plugins.json`, from the zod schema in schema.ts. Run it after changing schema.ts:
 *
 *     deno task schema    # = deno run --allow-write=plugins.schema.json manifest/write_schema.ts
 *
 * schema_test.ts fails until the committed file matches what this script generates.
 *
 * @module
 */
import { fromFileUrl } from "@std/path";
import { z } from "zod";
import { manifestSchema } from "./schema.ts";

/** Where the schema is committed: beside deno.json. */
export const SCHEMA_FILE: string = fromFileUrl(new URL("../plugins.schema.json", import.meta.url));

/** What the script adds to zod's output: a title and a description for editors. */
export const SCHEMA_ANNOTATIONS = {
  title: "repocate plugins.json",
  description: "The plugins repocate loads, where their code comes from, and what they may do.",
} as const;

/**
 * The JSON Schema of `plugins.json`: zod's input-side schema (defaults are optional) with
 * {@link SCHEMA_ANNOTATIONS} after `$schema`.
 */
export function generateSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(manifestSchema, { io: "input" }) as Record<
    string,
    unknown
  >;
  return { $schema, ...SCHEMA_ANNOTATIONS, ...rest };
}

/** The schema as committed: two-space indent, a final newline. */
export function schemaText(): string {
  return JSON.stringify(generateSchema(), null, 2) + "\n";
}

if (import.meta.main) {
  await Deno.writeTextFile(SCHEMA_FILE, schemaText());
  console.log(`wrote ${SCHEMA_FILE}`);
}

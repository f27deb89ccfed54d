/**
 * Compiles action input schemas (JSON Schema draft 2020-12, via ajv) into validators that return one-line
 * faults. Registry-internal.
 *
 * @module
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import type { JsonSchema, JsonValue } from "../interfaces.ts";

// addUsedSchema: false keeps compiled schemas out of ajv's shared `$id` table; otherwise a second
// schema with the same `$id` (the same plugin reloaded, or another plugin) fails to compile.
const ajv = new Ajv2020({
  allErrors: true,
  strict: false,
  validateSchema: true,
  addUsedSchema: false,
});

/** Checks a value; returns the faults (empty when valid). */
export type Validator = (value: JsonValue) => string[];

/** Compiles `schema`; throws `TypeError` with ajv's reason when the schema itself is invalid. */
export function compileSchema(schema: JsonSchema): Validator {
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw new TypeError(`invalid input schema: ${(error as Error).message}`);
  }
  return (value) => {
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => {
      const at = "input" + e.instancePath.replace(/\/(\d+)/g, "[$1]").replace(/\//g, ".");
      const extra = e.keyword === "additionalProperties"
        ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
        : e.keyword === "enum"
        ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`
        : "";
      return `${at}: ${e.message}${extra}`;
    });
  };
}

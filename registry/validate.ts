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

/** A key of the input as shown in a fault: as is, or JSON-quoted when odd (cut at 100). */
function keyText(key: string): string {
  // deno-lint-ignore no-control-regex
  const plain = key.length <= 100 && /^[^\s"[\]\\\u0000-\u001f\u007f-\u009f]+$/.test(key);
  return plain ? key : JSON.stringify(key.length > 100 ? `${key.slice(0, 100)}…` : key);
}

/** An ajv instance path (`/a/0/b~1c`) as `input.a[0].b/c`, odd keys quoted: one line. */
function pathOf(pointer: string): string {
  const keys = pointer.split("/").slice(1).map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
  return "input" + keys.map((k) => /^\d+$/.test(k) ? `[${k}]` : `.${keyText(k)}`).join("");
}

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
      const at = pathOf(e.instancePath);
      const extra = e.keyword === "additionalProperties"
        ? ` (${keyText((e.params as { additionalProperty: string }).additionalProperty)})`
        : e.keyword === "enum"
        ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`
        : "";
      return `${at}: ${e.message}${extra}`;
    });
  };
}

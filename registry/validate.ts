/**
 * Compiles action input schemas (JSON Schema draft 2020-12, via ajv) into validators that return one-line
 * faults. Registry-internal.
 *
 * Compiling costs milliseconds per schema, and the first compile (ajv's meta-schema) far more:
 * together most of a process's start-up. So {@link plainSchema} recognizes schemas made only of
 * common keywords with well-formed values, which ajv surely accepts, and the registry compiles
 * those on their first use ({@link lazyValidator}) instead of at registration. Every other
 * schema is compiled at registration as before, where an invalid one is refused.
 *
 * @module
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import type { JsonSchema, JsonValue } from "../interfaces.ts";

// addUsedSchema: false keeps compiled schemas out of ajv's shared `$id` table; otherwise a second
// schema with the same `$id` (the same plugin reloaded, or another plugin) fails to compile.
let ajv: Ajv2020 | null = null;
const ajvInstance = () =>
  ajv ??= new Ajv2020({
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
    validate = ajvInstance().compile(schema);
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

/** The validator of a schema {@link plainSchema} vouched for, compiled on its first call. */
export function lazyValidator(schema: JsonSchema): Validator {
  // A copy, so that a later change to the registered object cannot change what is checked.
  const own = structuredClone(schema);
  let compiled: Validator | null = null;
  return (value) => (compiled ??= compileSchema(own))(value);
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj =>
  typeof v === "object" && v !== null && !Array.isArray(v) &&
  Object.getPrototypeOf(v) === Object.prototype;

const TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);

/** Subschemas nested deeper are left to ajv. */
const MAX_DEPTH = 32;

function isCount(v: unknown): boolean {
  return typeof v === "number" && Number.isInteger(v) && v >= 0;
}

function isNumber(v: unknown): boolean {
  return typeof v === "number" && Number.isFinite(v);
}

function isJson(v: unknown, depth: number): boolean {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(v)) return v.every((x) => isJson(x, depth + 1));
  return isObj(v) && Object.keys(v).every((k) => k !== "__proto__" && isJson(v[k], depth + 1));
}

function isType(v: unknown): boolean {
  if (typeof v === "string") return TYPES.has(v);
  return Array.isArray(v) && v.length > 0 && new Set(v).size === v.length &&
    v.every((t) => typeof t === "string" && TYPES.has(t));
}

function isPattern(v: unknown): boolean {
  if (typeof v !== "string") return false;
  try {
    new RegExp(v, "u");
    return true;
  } catch {
    return false;
  }
}

function isSchemaList(v: unknown, depth: number): boolean {
  return Array.isArray(v) && v.length > 0 && v.every((s) => isSub(s, depth + 1));
}

/** Each keyword the quick check knows, with what its value must be. */
const KEYWORDS: Record<string, (v: unknown, depth: number) => boolean> = {
  type: isType,
  properties: (v, d) =>
    isObj(v) && Object.keys(v).every((k) => k !== "__proto__" && isSub(v[k], d + 1)),
  required: (v) =>
    Array.isArray(v) && v.every((k) => typeof k === "string") && new Set(v).size === v.length,
  additionalProperties: (v, d) => isSub(v, d + 1),
  propertyNames: (v, d) => isSub(v, d + 1),
  items: (v, d) => isSub(v, d + 1),
  not: (v, d) => isSub(v, d + 1),
  anyOf: isSchemaList,
  oneOf: isSchemaList,
  allOf: isSchemaList,
  enum: (v, d) => Array.isArray(v) && v.length > 0 && isJson(v, d),
  const: isJson,
  minLength: isCount,
  maxLength: isCount,
  minItems: isCount,
  maxItems: isCount,
  minProperties: isCount,
  maxProperties: isCount,
  minimum: isNumber,
  maximum: isNumber,
  exclusiveMinimum: isNumber,
  exclusiveMaximum: isNumber,
  multipleOf: (v) => isNumber(v) && (v as number) > 0,
  pattern: isPattern,
  uniqueItems: (v) => typeof v === "boolean",
  title: (v) => typeof v === "string",
  description: (v) => typeof v === "string",
  $comment: (v) => typeof v === "string",
  default: isJson,
  examples: (v, d) => Array.isArray(v) && isJson(v, d),
  deprecated: (v) => typeof v === "boolean",
  readOnly: (v) => typeof v === "boolean",
  writeOnly: (v) => typeof v === "boolean",
};

function isSub(v: unknown, depth: number): boolean {
  if (typeof v === "boolean") return true;
  if (!isObj(v) || depth > MAX_DEPTH) return false;
  return Object.keys(v).every((k) => Object.hasOwn(KEYWORDS, k) && KEYWORDS[k](v[k], depth));
}

/**
 * Whether `schema` is an object made only of the common keywords above, each well formed (no
 * `$ref`, `$id`, `format`, conditionals, unknown keywords), which ajv surely accepts. `false`
 * means "compile it now to find out", not "invalid".
 */
export function plainSchema(schema: unknown): boolean {
  return isObj(schema) && isSub(schema, 0);
}

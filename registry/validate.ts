/**
 * Checks action input schemas (JSON Schema draft 2020-12) and builds validators for them, via
 * ajv, that return one-line faults. Registry-internal.
 *
 * Loading ajv and compiling a schema cost more than the rest of a process's start-up, and
 * registration is synchronous, so nothing here touches ajv before a validator is first called
 * (and ajv comes from a bundle of the locked npm package, `vendor/ajv2020.js`, which loads in a
 * tenth of the time):
 * {@link lazyValidator} imports ajv (`await import`) and compiles then. What registration can
 * know without ajv, it checks at once: {@link schemaFault} finds the faults ajv surely refuses
 * (a keyword of the vocabulary with a value of the wrong shape, such as `{"type": "nope"}`).
 * The few it cannot see (an unresolvable `$ref`, an unknown `$schema`) are refused by ajv on the
 * action's first call: {@link InvalidSchemaError}.
 *
 * @module
 */
import type { Ajv2020 } from "ajv/dist/2020.js";
import type { JsonSchema, JsonValue } from "../interfaces.ts";

/** A schema that ajv refused, or that {@link schemaFault} found at fault. */
export class InvalidSchemaError extends TypeError {
  /** Makes the error; `reason` is why the schema is invalid. */
  constructor(reason: string, options?: ErrorOptions) {
    super(`invalid input schema: ${reason}`, options);
    this.name = "InvalidSchemaError";
  }
}

// addUsedSchema: false keeps compiled schemas out of ajv's shared `$id` table; otherwise a second
// schema with the same `$id` (the same plugin reloaded, or another plugin) fails to compile.
// validateSchema: false, because checking a schema against the meta-schema compiles the
// meta-schema first, which costs five times what compiling an action's schema does: it is done
// only where asked (see `checkSchema` of compileSchema).
let ajv: Promise<Ajv2020> | null = null;
function ajvInstance(): Promise<Ajv2020> {
  if (!ajv) {
    // ajv bundled into one module (scripts/vendor_ajv.ts): the npm package is CommonJS, and
    // loading it through Deno's npm support takes several times as long.
    ajv = (import("./vendor/ajv2020.js") as Promise<typeof import("ajv/dist/2020.js")>).then((
      { Ajv2020 },
    ) =>
      new Ajv2020({ allErrors: true, strict: false, validateSchema: false, addUsedSchema: false })
    );
    // A failed import is tried again on the next call, not remembered.
    ajv.catch(() => ajv = null);
  }
  return ajv;
}

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

/** Checks a value against a compiled schema; returns the faults (empty when valid). */
export type Check = (value: JsonValue) => string[];

/** Checks a value; resolves to the faults (empty when valid). */
export type Validator = (value: JsonValue) => Promise<string[]>;

/** How {@link compileSchema} treats the schema. */
export interface CompileOptions {
  /**
   * Check the schema against its meta-schema first (default true), as a schema not seen before
   * must be. Off for a schema that was checked when it was registered.
   */
  checkSchema?: boolean;
}

/** Loads ajv and compiles `schema`; throws {@link InvalidSchemaError} when ajv refuses it. */
export async function compileSchema(
  schema: JsonSchema,
  options: CompileOptions = {},
): Promise<Check> {
  const instance = await ajvInstance();
  let validate;
  try {
    if ((options.checkSchema ?? true) && !instance.validateSchema(schema)) {
      // ajv's own words when it compiles with `validateSchema: true`.
      throw new Error(`schema is invalid: ${instance.errorsText(instance.errors)}`);
    }
    validate = instance.compile(schema);
  } catch (error) {
    const message = error instanceof RangeError
      ? `its $refs refer back to themselves without end (${error.message})`
      : (error as Error).message;
    throw new InvalidSchemaError(message, { cause: error });
  }
  return (value) => {
    let valid;
    try {
      valid = validate(value);
    } catch (error) {
      // A schema that refers to itself without consuming input (`{"$ref": "#"}`) recurses
      // until the stack overflows: ajv compiles it, and only a check can tell.
      if (!(error instanceof RangeError)) throw error;
      throw new InvalidSchemaError(
        `checking input against it never ends: a $ref refers back to itself without going ` +
          `into the input (${error.message})`,
        { cause: error },
      );
    }
    if (valid) return [];
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

/**
 * The validator of `schema`, compiled on its first call (which loads ajv) as `options` say. When
 * ajv refuses the schema, that call and every later one reject with the same
 * {@link InvalidSchemaError}.
 */
export function lazyValidator(schema: JsonSchema, options: CompileOptions = {}): Validator {
  // A copy, so that a later change to the registered object cannot change what is checked.
  const own = structuredClone(schema);
  let compiled: Promise<Check> | null = null;
  return async (value) => {
    if (!compiled) {
      compiled = compileSchema(own, options);
      // Only a refusal is final; a failed import of ajv is tried again.
      compiled.catch((error) => {
        if (!(error instanceof InvalidSchemaError)) compiled = null;
      });
    }
    return (await compiled)(value);
  };
}

type Obj = Record<string, unknown>;

/** A keyword's value: the fault at `at` (a JSON pointer into the schema), or `undefined`. */
type KeywordCheck = (value: unknown, at: string, depth: number) => string | undefined;

/** Subschemas nested deeper are left to ajv. */
const MAX_DEPTH = 32;

const TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);

const ANCHOR = /^[A-Za-z_][-A-Za-z0-9._]*$/;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** What ajv counts as a non-negative integer (`1.0` is one). */
const isCount = (v: unknown) => typeof v === "number" && !(v % 1) && !Number.isNaN(v) && v >= 0;

const isUniqueStrings = (v: unknown) =>
  Array.isArray(v) && v.every((k) => typeof k === "string") && new Set(v).size === v.length;

function isPattern(v: unknown): boolean {
  if (typeof v !== "string") return false;
  try {
    new RegExp(v, "u"); // as ajv compiles them
    return true;
  } catch {
    return false;
  }
}

function isType(v: unknown): boolean {
  if (typeof v === "string") return TYPES.has(v);
  return Array.isArray(v) && v.length > 0 && new Set(v).size === v.length &&
    v.every((t) => typeof t === "string" && TYPES.has(t));
}

const when = (ok: (v: unknown) => boolean, what: string): KeywordCheck => (v, at) =>
  ok(v) ? undefined : `${at} must be ${what}`;

const schema: KeywordCheck = (v, at, depth) => subFault(v, at, depth + 1);

const schemaList: KeywordCheck = (v, at, depth) => {
  if (!Array.isArray(v) || v.length === 0) return `${at} must be a non-empty array of schemas`;
  for (const [i, s] of v.entries()) {
    const fault = subFault(s, `${at}/${i}`, depth + 1);
    if (fault) return fault;
  }
};

const schemaMap = (keysArePatterns: boolean): KeywordCheck => (v, at, depth) => {
  if (!isObj(v)) return `${at} must be an object of schemas`;
  for (const k of Object.keys(v)) {
    if (keysArePatterns && !isPattern(k)) return `${at} has an invalid regular expression: ${k}`;
    const fault = subFault(v[k], `${at}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, depth + 1);
    if (fault) return fault;
  }
};

const COUNT = when(isCount, "a non-negative integer");
const NUMBER = when((v) => typeof v === "number", "a number");
const STRING = when((v) => typeof v === "string", "a string");
const BOOLEAN = when((v) => typeof v === "boolean", "a boolean");
const ANCHOR_NAME = when((v) => typeof v === "string" && ANCHOR.test(v), "an anchor name");

/**
 * The keywords of the 2020-12 vocabulary whose values have a shape to check, each with the
 * check that mirrors ajv's: its meta-schema, its regular expressions (`u` flag), its refusal of
 * an empty `enum`. Others (`const`, `default`, `$schema`, unknown ones) are left to ajv.
 */
const KEYWORDS: Record<string, KeywordCheck> = {
  type: when(isType, "a JSON type or a non-empty list of distinct ones"),
  enum: when((v) => Array.isArray(v) && v.length > 0, "a non-empty array"),
  required: when(isUniqueStrings, "an array of distinct strings"),
  dependentRequired: (v, at) => {
    if (!isObj(v)) return `${at} must be an object of arrays of distinct strings`;
    const bad = Object.keys(v).find((k) => !isUniqueStrings(v[k]));
    return bad === undefined ? undefined : `${at}/${bad} must be an array of distinct strings`;
  },
  minLength: COUNT,
  maxLength: COUNT,
  minItems: COUNT,
  maxItems: COUNT,
  minContains: COUNT,
  maxContains: COUNT,
  minProperties: COUNT,
  maxProperties: COUNT,
  minimum: NUMBER,
  maximum: NUMBER,
  exclusiveMinimum: NUMBER,
  exclusiveMaximum: NUMBER,
  multipleOf: when((v) => typeof v === "number" && v > 0, "a number > 0"),
  pattern: when(isPattern, "a valid regular expression"),
  uniqueItems: BOOLEAN,
  properties: schemaMap(false),
  patternProperties: schemaMap(true),
  dependentSchemas: schemaMap(false),
  $defs: schemaMap(false),
  definitions: schemaMap(false),
  anyOf: schemaList,
  oneOf: schemaList,
  allOf: schemaList,
  prefixItems: schemaList,
  additionalProperties: schema,
  propertyNames: schema,
  unevaluatedProperties: schema,
  items: schema,
  contains: schema,
  unevaluatedItems: schema,
  not: schema,
  if: schema,
  then: schema,
  else: schema,
  contentSchema: schema,
  contentEncoding: STRING,
  contentMediaType: STRING,
  format: STRING,
  title: STRING,
  description: STRING,
  $comment: STRING,
  examples: when(Array.isArray, "an array"),
  deprecated: BOOLEAN,
  readOnly: BOOLEAN,
  writeOnly: BOOLEAN,
  $ref: STRING,
  $dynamicRef: STRING,
  $id: when((v) => typeof v === "string" && /^[^#]*#?$/.test(v), "a URI without a fragment"),
  $anchor: ANCHOR_NAME,
  $dynamicAnchor: ANCHOR_NAME,
};

function subFault(v: unknown, at: string, depth: number): string | undefined {
  if (typeof v === "boolean") return undefined;
  if (!isObj(v)) return `${at} must be an object or a boolean`;
  if (depth > MAX_DEPTH) return undefined;
  for (const k of Object.keys(v)) {
    const fault = Object.hasOwn(KEYWORDS, k) ? KEYWORDS[k](v[k], `${at}/${k}`, depth) : undefined;
    if (fault) return fault;
  }
}

/**
 * Why ajv will surely refuse `schema`, found without ajv: a root that is not an object or a
 * boolean, or a keyword of the 2020-12 vocabulary whose value has the wrong shape, in the form
 * of ajv's messages (`schema is invalid: data/type must be …`). `undefined` means "no such
 * fault", not "valid": references, `$schema` and unknown keywords are left to ajv.
 */
export function schemaFault(schema: unknown): string | undefined {
  const fault = subFault(schema, "data", 0);
  return fault && `schema is invalid: ${fault}`;
}

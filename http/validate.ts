/**
 * Request bodies: read as JSON, validated with zod, every fault reported with its JSON path.
 * An empty body counts as `{}` so that verbs without options need none.
 *
 * @module
 */
import type { Context } from "hono";
import type { z } from "zod";
import type { JsonValue } from "../interfaces.ts";
import { formatJsonPath } from "../manifest/parse.ts";
import { type Issue, RequestError } from "./errors.ts";

/** Reads the body as JSON; an empty body is `{}`. Throws `INPUT_INVALID` on bad JSON. */
export async function readJson(c: Context): Promise<JsonValue> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new RequestError(
      "INPUT_INVALID",
      `request body is not valid JSON: ${error instanceof Error ? error.message : error}`,
    );
  }
}

/** Turns zod's issues into `{ path, message }` faults, unknown keys named one by one. */
export function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({
        path: formatJsonPath([...issue.path, key]),
        message: "unknown key",
      }))
      : [{ path: formatJsonPath(issue.path), message: issue.message }]
  );
}

/** Checks `value` against `schema`; throws `INPUT_INVALID` listing every fault. */
export function check<T>(schema: z.ZodType<T>, value: unknown, what = "request body"): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = issuesOf(parsed.error);
  throw new RequestError(
    "INPUT_INVALID",
    `invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
    issues,
  );
}

/** Reads the body as JSON and checks it against `schema`. */
export async function readBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  return check(schema, await readJson(c));
}

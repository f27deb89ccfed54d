/**
 * The schema of `plugins.json`, in zod. The JSON Schema for editors (plugins.schema.json) is
 * generated from it by `deno task schema`, and a test keeps the two in step.
 *
 * @module
 */
import { z } from "zod";
import { PLUGIN_NAME } from "./keys.ts";

/** The permission keys and the plugin name rule, defined in the zod-free keys.ts. */
export { PERMISSION_KEYS, type PermissionKey, PLUGIN_NAME } from "./keys.ts";

const grant = z.union([z.boolean(), z.array(z.string().min(1)).max(256)]);

/** A plugin's permissions: absent keys mean `false`. */
export const permissionsSchema = z.strictObject({
  read: grant.optional(),
  write: grant.optional(),
  net: grant.optional(),
  env: grant.optional(),
  run: grant.optional(),
  sys: grant.optional(),
  ffi: grant.optional(),
  import: grant.optional(),
});

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ])
);

/** One entry of the manifest. */
export const pluginEntrySchema = z.strictObject({
  name: z.string().regex(PLUGIN_NAME, "must match ^[a-z][a-z0-9-]{0,39}$"),
  source: z.string().min(1, "must not be empty"),
  description: z.string().max(200).optional(),
  enabled: z.boolean().default(true),
  permissions: permissionsSchema.default({}),
  timeouts: z.strictObject({
    initMs: z.number().int().min(10).max(600_000).default(10_000),
    callMs: z.number().int().min(10).max(86_400_000).default(600_000),
  }).default({ initMs: 10_000, callMs: 600_000 }),
  isolation: z.enum(["worker", "process"]).optional(),
  memoryMb: z.number().int().min(16).max(65_536).optional(),
  config: z.record(z.string(), jsonValue).default({}),
});

/** The whole manifest. */
export const manifestSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1),
  plugins: z.array(pluginEntrySchema).max(500),
});

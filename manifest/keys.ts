/**
 * The manifest's fixed names, without zod: Deno's permission keys and the plugin name rule.
 * manifest/schema.ts builds the zod schema from them; modules on the start-up path import them
 * from here so that starting repocate does not load zod.
 *
 * @module
 */

/** The permission keys of Deno, every one of which a plugin entry may set. */
export const PERMISSION_KEYS = [
  "read",
  "write",
  "net",
  "env",
  "run",
  "sys",
  "ffi",
  "import",
] as const;

/** One Deno permission key. */
export type PermissionKey = typeof PERMISSION_KEYS[number];

/** Plugin names: lowercase, digits and dashes, starting with a letter. */
export const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,39}$/;

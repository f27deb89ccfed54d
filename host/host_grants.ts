/**
 * Checks that this process holds what a plugin's grants need: a Worker can never get more
 * than its host, so a missing host grant is reported with the flag to add.
 *
 * @module
 */
import { PERMISSION_KEYS } from "../manifest/keys.ts";
import type { Permissions } from "../manifest/types.ts";

function descriptor(key: string, value?: string): Deno.PermissionDescriptor {
  switch (key) {
    case "read":
    case "write":
    case "ffi":
      return { name: key, path: value } as Deno.PermissionDescriptor;
    case "net":
    case "import":
      return { name: key, host: value } as Deno.PermissionDescriptor;
    case "env":
      return { name: "env", variable: value };
    case "run":
      return { name: "run", command: value };
    default:
      return { name: "sys", kind: value } as Deno.PermissionDescriptor;
  }
}

/** The `--allow-*` flags this process lacks for `perms` (empty when it holds them all). */
export function missingHostGrants(perms: Permissions): string[] {
  const missing: string[] = [];
  for (const key of PERMISSION_KEYS) {
    const grant = perms[key];
    if (grant === false) continue;
    const values = grant === true ? [undefined] : grant;
    const lacking = values.filter((v) =>
      Deno.permissions.querySync(descriptor(key, v)).state !== "granted"
    );
    if (lacking.length) {
      missing.push(grant === true ? `--allow-${key}` : `--allow-${key}=${lacking.join(",")}`);
    }
  }
  return missing;
}

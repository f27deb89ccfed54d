/**
 * Checks that this process holds what a plugin's grants need: a Worker can never get more
 * than its host, so a missing host grant is reported with the flag to add.
 *
 * @module
 */
import { PERMISSION_KEYS, type PermissionKey } from "../manifest/keys.ts";
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

/** A grant this process lacks: its key, and the values it lacks (`true`: the whole key). */
export interface MissingGrant {
  /** The permission key. */
  key: PermissionKey;
  /** The lacking values, or `true` when the plugin is granted the whole key. */
  values: string[] | true;
}

/** What this process lacks of `perms` (empty when it holds them all). */
export function missingHostGrants(perms: Permissions): MissingGrant[] {
  const missing: MissingGrant[] = [];
  for (const key of PERMISSION_KEYS) {
    const grant = perms[key];
    if (grant === false) continue;
    if (grant === true) {
      if (Deno.permissions.querySync(descriptor(key)).state !== "granted") {
        missing.push({ key, values: true });
      }
      continue;
    }
    const lacking = grant.filter((v) =>
      Deno.permissions.querySync(descriptor(key, v)).state !== "granted"
    );
    if (lacking.length) missing.push({ key, values: lacking });
  }
  return missing;
}

/** The `--allow-*` flag that grants `missing`. */
export function grantFlag(missing: MissingGrant): string {
  return missing.values === true
    ? `--allow-${missing.key}`
    : `--allow-${missing.key}=${missing.values.join(",")}`;
}

/**
 * The command names, when all that is missing is `run` of bare names: then the flags came from
 * plugins.json and Deno dropped an `--allow-run` name it could not find on PATH. Else `null`.
 */
export function commandsNotOnPath(missing: MissingGrant[]): string[] | null {
  const bare = missing.length > 0 &&
    missing.every((m) =>
      m.key === "run" && m.values !== true && m.values.every((v) => !v.includes("/"))
    );
  return bare ? missing.flatMap((m) => m.values as string[]) : null;
}

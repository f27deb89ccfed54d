/**
 * Permission arithmetic: the union of grants the host must hold, the Deno flags that express
 * it, and the risk labels shown to users. Pure.
 *
 * @module
 */
import { PERMISSION_KEYS, type PermissionKey } from "./keys.ts";
import type { Grant, Permissions } from "./types.ts";

/** Whether `grant` grants anything: `true` or a non-empty list (`[]` grants nothing). */
function grantsAny(grant: Grant): boolean {
  return grant === true || (Array.isArray(grant) && grant.length > 0);
}

/** Permissions that grant nothing. */
export function denyAll(): Permissions {
  return Object.fromEntries(PERMISSION_KEYS.map((k) => [k, false])) as Permissions;
}

function unionGrant(a: Grant, b: Grant): Grant {
  if (a === true || b === true) return true;
  const list = [...(a || []), ...(b || [])];
  return list.length ? [...new Set(list)].sort() : false;
}

/** The union of several permission sets: what a host needs to start them all as Workers. */
export function unionPermissions(sets: Iterable<Permissions>): Permissions {
  let out = denyAll();
  for (const set of sets) {
    out = Object.fromEntries(
      PERMISSION_KEYS.map((k) => [k, unionGrant(out[k], set[k])]),
    ) as Permissions;
  }
  return out;
}

/** The `deno run` flags granting `perms` (`--allow-read=/a,/b`, ...); none for `false` or `[]`. */
export function toDenoFlags(perms: Permissions): string[] {
  return PERMISSION_KEYS.flatMap((key) => {
    const grant = perms[key];
    if (grant === true) return [`--allow-${key}`];
    if (grant === false || grant.length === 0) return [];
    return [`--allow-${key}=${grant.join(",")}`];
  });
}

/** Keys whose grant escapes the sandbox or equals root on the host, for a loud warning. */
export function riskyGrants(perms: Permissions): PermissionKey[] {
  const risky: PermissionKey[] = [];
  if (grantsAny(perms.run)) risky.push("run");
  if (grantsAny(perms.ffi)) risky.push("ffi");
  if (perms.read === true) risky.push("read");
  const socket = (g: Grant) => Array.isArray(g) && g.some((p) => p.endsWith("docker.sock"));
  if (perms.write === true || socket(perms.write)) risky.push("write");
  return risky;
}

/** A compact human form: `read=/a,/b net=127.0.0.1:80 run=git` or `none`. */
export function describePermissions(perms: Permissions): string {
  const parts = PERMISSION_KEYS.flatMap((key) => {
    const grant = perms[key];
    if (grant === true) return [`${key}=all`];
    if (grant === false || grant.length === 0) return [];
    return [`${key}=${grant.join(",")}`];
  });
  return parts.length ? parts.join(" ") : "none";
}

/** The Worker `deno.permissions` object: every key written out, nothing inherited. */
export function toWorkerPermissions(perms: Permissions): Deno.PermissionOptionsObject {
  return {
    read: perms.read,
    write: perms.write,
    net: perms.net,
    env: perms.env,
    run: perms.run,
    sys: perms.sys as Deno.PermissionOptionsObject["sys"],
    ffi: perms.ffi,
    import: perms.import,
  };
}

/**
 * Pure formatting for the dashboard: ages, clock times, and plugin permissions with the grants
 * that escape Deno's sandbox marked (the same rule as `riskyGrants` in manifest/permissions.ts).
 * No DOM, so it is unit-tested under Deno.
 *
 * @module
 */

/** Deno's permission keys, in manifest order. */
export const PERMISSION_KEYS = ["read", "write", "net", "env", "run", "sys", "ffi", "import"];

/** `5s`, `3m`, `2h`, `4d` since `iso` (at `now`, ms), or `-` without a time. */
export function age(iso, now = Date.now()) {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return "-";
  const s = Math.max(0, (now - t) / 1000);
  if (s < 60) return `${Math.floor(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** `HH:MM:SS` of `iso` in local time (of now without one). */
export function clock(iso) {
  const d = iso ? new Date(iso) : new Date();
  return (Number.isNaN(d.getTime()) ? new Date() : d).toTimeString().slice(0, 8);
}

function grantsAny(grant) {
  return grant === true || (Array.isArray(grant) && grant.length > 0);
}

const isSocket = (grant) => Array.isArray(grant) && grant.some((p) => p.endsWith("docker.sock"));

/** Keys whose grant escapes the sandbox or equals root on the host (as repocate's CLI says). */
export function riskyGrants(perms = {}) {
  const risky = [];
  if (grantsAny(perms.run)) risky.push("run");
  if (grantsAny(perms.ffi)) risky.push("ffi");
  if (perms.read === true) risky.push("read");
  if (perms.write === true || isSocket(perms.write)) risky.push("write");
  return risky;
}

function reason(key, grant) {
  if (key === "run") return "runs programs outside Deno's sandbox";
  if (key === "ffi") return "loads native code outside Deno's sandbox";
  if (key === "write" && grant !== true) return "writes the Docker socket: root on the host";
  return `may ${key} every file`;
}

/**
 * The granted keys of `perms` as `{ key, text, risk }`: `text` is `all` or the list, `risk`
 * says why the grant escapes the sandbox (null when it does not). Empty when nothing is granted.
 * `risky` (the server's own list, when it sends one) overrides the local rule.
 */
export function permissionChips(perms = {}, risky = riskyGrants(perms)) {
  const marked = new Set(risky);
  return PERMISSION_KEYS.filter((key) => grantsAny(perms[key])).map((key) => ({
    key,
    text: perms[key] === true ? "all" : perms[key].join(", "),
    risk: marked.has(key) ? reason(key, perms[key]) : null,
  }));
}

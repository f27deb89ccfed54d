/**
 * The run-time check that a module's `Ops` has the shape of `Operation`, and the API version
 * handshake rule. Pure; runs inside the plugin's Worker and in tests.
 *
 * @module
 */

/** Returns the faults of `ops` against `Operation`, each naming the member (empty when fine). */
export function shapeFaults(ops: unknown): string[] {
  if (ops === undefined) return ["the module does not export `Ops`"];
  if (ops === null || typeof ops !== "object") return ["`Ops` is not an object"];
  const o = ops as Record<string, unknown>;
  const faults: string[] = [];
  for (const key of ["name", "version", "apiVersion"]) {
    if (typeof o[key] !== "string" || o[key] === "") {
      faults.push(`Ops.${key} must be a non-empty string (got ${typeof o[key]})`);
    }
  }
  if (typeof o.apiVersion === "string" && !/^\d+\.\d+$/.test(o.apiVersion)) {
    faults.push(`Ops.apiVersion must look like "1.0" (got "${o.apiVersion}")`);
  }
  for (const key of ["initialize", "registerWithRegistry"]) {
    if (typeof o[key] !== "function") {
      faults.push(`Ops.${key} must be a function (got ${typeof o[key]})`);
    }
  }
  if (o.dispose !== undefined && typeof o.dispose !== "function") {
    faults.push(`Ops.dispose must be a function when present (got ${typeof o.dispose})`);
  }
  return faults;
}

/**
 * Compares the API version a plugin declares with the host's. Returns `null` when the majors
 * match, else a sentence saying which side to upgrade.
 */
export function apiMismatch(plugin: string, pluginApi: string, hostApi: string): string | null {
  const pluginMajor = Number(pluginApi.split(".")[0]);
  const hostMajor = Number(hostApi.split(".")[0]);
  if (pluginMajor === hostMajor) return null;
  const upgrade = pluginMajor > hostMajor ? "upgrade repocate" : `upgrade plugin "${plugin}"`;
  return `plugin "${plugin}" speaks plugin API ${pluginApi}, this repocate speaks ${hostApi}: ${upgrade}`;
}

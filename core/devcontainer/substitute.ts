/**
 * devcontainer.json variables `${...}`, replaced in every string value (never in keys) the way
 * devcontainers/cli does, in two passes:
 *
 * 1. local: `${localEnv:VAR}` (alias `${env:VAR}`), `${localEnv:VAR:default}`,
 *    `${localWorkspaceFolder}`, `${localWorkspaceFolderBasename}`. A variable missing from the
 *    env map becomes its default, or `""` (as a shell would). Unlike the CLI, a default may hold
 *    colons: everything after the second `:` is the default (`${localEnv:U:http://x}`).
 * 2. container: `${containerWorkspaceFolder}`, `${containerWorkspaceFolderBasename}`, once the
 *    workspace folder is known.
 *
 * `${containerEnv:VAR}` is left as is: only the running container knows it (the lifecycle core
 * resolves it in remoteEnv). Any other variable (e.g. `${devcontainerId}`) is left as is and
 * reported. Pure: the host environment is passed in, never read from `Deno.env`.
 *
 * @module
 */
import { basename } from "@std/path";
import { formatJsonPath } from "../../manifest/parse.ts";

/** Resolves one variable (`name` and its `:`-separated args); `undefined` leaves it as is. */
export type VariableLookup = (name: string, args: string[], at: string) => string | undefined;

const VARIABLE = /\$\{(.*?)\}/g;

/** Replaces variables in every string of `value` (recursively, keys untouched). */
export function substitute(
  value: unknown,
  lookup: VariableLookup,
  path: PropertyKey[] = [],
): unknown {
  if (typeof value === "string") {
    const at = formatJsonPath(path);
    return value.replace(VARIABLE, (whole, inner: string) => {
      const [name, ...args] = inner.split(":");
      return lookup(name, args, at) ?? whole;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substitute(item, lookup, [...path, i]));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = substitute(item, lookup, [...path, key]);
    }
    return out;
  }
  return value;
}

/** The pass-1 lookup: host environment and host workspace folder. Faults go to `faults`. */
export function localLookup(
  localWorkspaceFolder: string,
  env: Readonly<Record<string, string>>,
  faults: string[],
): VariableLookup {
  return (name, args, at) => {
    switch (name) {
      case "localEnv":
      case "env": {
        if (!args[0]) {
          faults.push(`${at}: \${${name}} names no variable`);
          return "";
        }
        const found = Object.hasOwn(env, args[0]) ? env[args[0]] : undefined;
        return found ?? (args.length > 1 ? args.slice(1).join(":") : "");
      }
      case "localWorkspaceFolder":
        return localWorkspaceFolder;
      case "localWorkspaceFolderBasename":
        return basename(localWorkspaceFolder);
      default:
        return undefined;
    }
  };
}

/** The pass-2 lookup: the workspace folder in the container; reports unknown variables. */
export function containerLookup(workspaceFolder: string, warnings: string[]): VariableLookup {
  const reported = new Set<string>();
  return (name, args, at) => {
    switch (name) {
      case "containerWorkspaceFolder":
        return workspaceFolder;
      case "containerWorkspaceFolderBasename":
        return basename(workspaceFolder);
      case "containerEnv":
        return undefined;
      default: {
        const whole = `\${${[name, ...args].join(":")}}`;
        if (!reported.has(whole)) {
          reported.add(whole);
          warnings.push(`${at}: variable ${whole} is not supported; left as is`);
        }
        return undefined;
      }
    }
  };
}

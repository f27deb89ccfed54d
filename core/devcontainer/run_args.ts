/**
 * `runArgs` (extra `docker run` flags) and the top-level keys that mirror them (`capAdd`,
 * `securityOpt`, `privileged`, `init`), reduced to the flags repocate honours: `--cap-add`,
 * `--security-opt`, `--privileged`, `--init`, `-e`/`--env`, `-l`/`--label`,
 * `--network`/`--net`, and `--mount`, `-v`/`--volume` (which become mounts). Every other flag
 * is named in a warning, never dropped silently. Pure.
 *
 * Flags take `--flag=value`, `--flag value` and, for short ones, `-evalue`. An unknown flag
 * followed by a word not starting with `-` is taken to own it (`--gpus all`). `-e NAME` without
 * `=` takes NAME from the env map passed in, as docker takes it from the client's environment,
 * and sets nothing when it is absent.
 *
 * @module
 */
import { parseMountString, parseVolumeFlag } from "./mounts.ts";
import type { Mount, RunArgs } from "./types.ts";

const ALIASES: Readonly<Record<string, string>> = {
  "-e": "--env",
  "-l": "--label",
  "-v": "--volume",
  "--net": "--network",
};
const VALUE_FLAGS = new Set([
  "--cap-add",
  "--security-opt",
  "--env",
  "--label",
  "--network",
  "--mount",
  "--volume",
]);
const BOOLEAN_FLAGS = new Set(["--privileged", "--init"]);

/** The result of reading runArgs: the flags, and the mounts from `--mount`/`-v`. */
export interface ParsedRunArgs {
  /** The honoured flags. */
  runArgs: RunArgs;
  /** Mounts from `--mount` and `-v`, in order. */
  mounts: Mount[];
}

/** An empty {@link RunArgs}. */
export function emptyRunArgs(): RunArgs {
  return { capAdd: [], securityOpt: [], privileged: false, env: {}, labels: {}, init: false };
}

/** `KEY=VALUE` -> [KEY, VALUE]; `KEY` -> [KEY, undefined]. */
function keyValue(text: string): [string, string | undefined] {
  const eq = text.indexOf("=");
  return eq < 0 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
}

/**
 * Reads `args` (the `runArgs` array). Faults and warnings are pushed with the JSON path
 * `runArgs[i]` of the flag.
 */
export function parseRunArgs(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  faults: string[],
  warnings: string[],
): ParsedRunArgs {
  const runArgs = emptyRunArgs();
  const mounts: Mount[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const at = `runArgs[${i}]`;
    if (!arg.startsWith("-") || arg === "-" || arg === "--") {
      warnings.push(`${at}: "${arg}" is not a docker run flag; ignored`);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith("--")) [name, inline] = keyValue(arg);
    else {
      name = arg.slice(0, 2);
      inline = arg.length > 2 ? arg.slice(2).replace(/^=/, "") : undefined;
    }
    name = ALIASES[name] ?? name;

    if (BOOLEAN_FLAGS.has(name)) {
      if (inline !== undefined && !["true", "false"].includes(inline)) {
        faults.push(`${at}: ${name} takes true or false, not "${inline}"`);
        continue;
      }
      const on = inline !== "false";
      if (name === "--privileged") runArgs.privileged = on;
      else runArgs.init = on;
      continue;
    }
    if (!VALUE_FLAGS.has(name)) {
      const next = args[i + 1];
      const owned = inline === undefined && next !== undefined && !next.startsWith("-");
      const shown = owned ? `${arg} ${next}` : arg;
      if (owned) i++;
      warnings.push(`${at}: docker run flag "${shown}" is not supported; ignored`);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= args.length) {
        faults.push(`${at}: ${name} needs a value`);
        continue;
      }
      value = args[++i];
    }
    switch (name) {
      case "--cap-add":
        runArgs.capAdd.push(value);
        break;
      case "--security-opt":
        runArgs.securityOpt.push(value);
        break;
      case "--network":
        runArgs.network = value;
        break;
      case "--env":
      case "--label": {
        const [key, given] = keyValue(value);
        if (!key) {
          faults.push(`${at}: ${name} needs NAME=value, not "${value}"`);
        } else if (name === "--label") runArgs.labels[key] = given ?? "";
        else {
          const resolved = given ?? (Object.hasOwn(env, key) ? env[key] : undefined);
          if (resolved !== undefined) runArgs.env[key] = resolved;
        }
        break;
      }
      default: {
        const report = { at, faults, warnings };
        const mount = name === "--mount"
          ? parseMountString(value, report)
          : parseVolumeFlag(value, report);
        if (mount) mounts.push(mount);
      }
    }
  }
  return { runArgs, mounts };
}

/** The top-level keys that mirror docker run flags. */
export interface TopLevelRunKeys {
  /** `capAdd`. */
  capAdd?: string[];
  /** `securityOpt`. */
  securityOpt?: string[];
  /** `privileged`. */
  privileged?: boolean;
  /** `init`. */
  init?: boolean;
}

/** Merges the top-level keys into parsed runArgs: lists united in order, booleans or-ed. */
export function withTopLevel(runArgs: RunArgs, top: TopLevelRunKeys): RunArgs {
  return {
    ...runArgs,
    capAdd: [...new Set([...(top.capAdd ?? []), ...runArgs.capAdd])],
    securityOpt: [...new Set([...(top.securityOpt ?? []), ...runArgs.securityOpt])],
    privileged: runArgs.privileged || top.privileged === true,
    init: runArgs.init || top.init === true,
  };
}

/**
 * Turns a cloned repository's dev container definition into an {@link EnvironmentPlan}:
 * devcontainer.json (found by find.ts), else a root Dockerfile, else the default image.
 *
 * Semantics follow containers.dev/implementors/json_reference and devcontainers/cli; image
 * versus build is image_or_build.ts, variables substitute.ts, mounts mounts.ts, runArgs
 * run_args.ts. The workspace folder defaults to `/workspaces/<name>`. `postAttachCommand`,
 * `initializeCommand`, features, Compose and the other properties in schema.ts's
 * UNSUPPORTED_KEYS become warnings, as do unknown keys; `null` remoteEnv entries too.
 *
 * Faults throw one `INPUT_INVALID` {@link RepocateError}:
 * `<config file>: <json.path>: <message>; <json.path>: <message>`.
 *
 * @module
 */
import { relative, resolve } from "@std/path";
import { RepocateError } from "../../errors.ts";
import { faultList, issueText } from "../../manifest/parse.ts";
import { findConfig } from "./find.ts";
import { type ImageOrBuild, imageOrBuild } from "./image_or_build.ts";
import { parseJsonc } from "./jsonc.ts";
import { parseMountObject, parseMountString } from "./mounts.ts";
import { normalizeCommand, normalizePorts, normalizeRemoteEnv } from "./normalize.ts";
import { emptyRunArgs, parseRunArgs, withTopLevel } from "./run_args.ts";
import {
  type DevcontainerConfig,
  devcontainerSchema,
  HONOURED_KEYS,
  unhonouredKeyWarnings,
} from "./schema.ts";
import { containerLookup, localLookup, substitute, type VariableLookup } from "./substitute.ts";
import type { EnvironmentPlan, Mount } from "./types.ts";

/** What {@link resolvePlan} needs. */
export interface ResolveOptions {
  /** The cloned repository (absolute); `${localWorkspaceFolder}`. */
  repoDir: string;
  /** The environment's name; the default workspace folder is `/workspaces/<name>`. */
  name: string;
  /** The image used when the repository defines nothing. */
  defaultImage: string;
  /** The host environment `${localEnv:VAR}` and `-e VAR` read (never `Deno.env` itself). */
  env: Readonly<Record<string, string>>;
}

/** What {@link planFromConfig} needs: the devcontainer.json text and where it came from. */
export interface ConfigInput extends Omit<ResolveOptions, "defaultImage"> {
  /** The devcontainer.json text. */
  text: string;
  /** Its absolute path. */
  file: string;
}

/** The plan of a repository that defines nothing: the default image. */
export function defaultPlan(name: string, image: string): EnvironmentPlan {
  return {
    source: "default",
    image,
    containerEnv: {},
    remoteEnv: {},
    forwardPorts: [],
    mounts: [],
    workspaceFolder: `/workspaces/${name}`,
    runArgs: emptyRunArgs(),
    warnings: [],
  };
}

/** The plan of a repository with a root `Dockerfile`: built with the repository as context. */
export function dockerfilePlan(repoDir: string, name: string): EnvironmentPlan {
  const { image: _, ...plan } = defaultPlan(name, "");
  return {
    ...plan,
    source: "dockerfile",
    build: { context: resolve(repoDir), dockerfile: "Dockerfile", args: {} },
  };
}

/** Substitutes in the honoured keys only: the others are not used. */
function substituteHonoured(data: Record<string, unknown>, lookup: VariableLookup) {
  const out: Record<string, unknown> = { ...data };
  for (const key of Object.keys(data)) {
    if (HONOURED_KEYS.has(key)) out[key] = substitute(data[key], lookup, [key]);
  }
  return out;
}

/**
 * The plan for a devcontainer.json. Pure: reads nothing, not even the Dockerfile (see
 * {@link resolvePlan}). Throws `INPUT_INVALID` naming `file` and every fault's JSON path.
 */
export function planFromConfig(input: ConfigInput): EnvironmentPlan {
  return readConfig(input).plan;
}

function readConfig(input: ConfigInput): { plan: EnvironmentPlan; keys: ImageOrBuild } {
  const file = resolve(input.file);
  const repoDir = resolve(input.repoDir);
  const fail = (faults: string[]) =>
    new RepocateError("INPUT_INVALID", `${file}: ${faultList(faults)}`);
  const faults: string[] = [];
  const warnings: string[] = [];

  const raw = parseJsonc(input.text, file);
  const isObject = raw !== null && typeof raw === "object" && !Array.isArray(raw);
  if (!isObject) throw fail(["(root): must be a JSON object"]);
  const local = substituteHonoured(
    raw as Record<string, unknown>,
    localLookup(repoDir, input.env, faults),
  );
  const parsed = devcontainerSchema.safeParse(local);
  if (!parsed.success) throw fail([...faults, ...parsed.error.issues.map(issueText)]);

  const workspaceFolder = parsed.data.workspaceFolder ?? `/workspaces/${input.name}`;
  if (!workspaceFolder.startsWith("/")) {
    faults.push(`workspaceFolder: must be an absolute path: ${workspaceFolder}`);
  }
  const config = substituteHonoured(
    parsed.data,
    containerLookup(workspaceFolder, warnings),
  ) as DevcontainerConfig;
  warnings.unshift(...unhonouredKeyWarnings(local, config));

  const keys = imageOrBuild(config, file, repoDir, faults, warnings);
  const { image, build } = keys;
  const mounts: Mount[] = [];
  (config.mounts ?? []).forEach((entry, i) => {
    const report = { at: `mounts[${i}]`, faults, warnings };
    const mount = typeof entry === "string"
      ? parseMountString(entry, report)
      : parseMountObject(entry, report);
    if (mount) mounts.push(mount);
  });
  const fromRunArgs = parseRunArgs(config.runArgs ?? [], input.env, faults, warnings);
  mounts.push(...fromRunArgs.mounts);
  const plan: EnvironmentPlan = {
    source: "devcontainer",
    configFile: file,
    ...(image !== undefined ? { image } : {}),
    ...(build !== undefined ? { build } : {}),
    containerEnv: { ...config.containerEnv },
    remoteEnv: normalizeRemoteEnv(config.remoteEnv ?? {}, warnings),
    forwardPorts: normalizePorts(config.forwardPorts ?? [], faults),
    mounts,
    workspaceFolder,
    runArgs: withTopLevel(fromRunArgs.runArgs, config),
    warnings,
  };
  if (config.remoteUser) plan.remoteUser = config.remoteUser;
  if (config.containerUser) plan.containerUser = config.containerUser;
  for (
    const key of [
      "onCreateCommand",
      "updateContentCommand",
      "postCreateCommand",
      "postStartCommand",
    ] as const
  ) {
    const command = normalizeCommand(config[key]);
    if (command) plan[key] = command;
  }
  if (faults.length > 0) throw fail(faults);
  return { plan, keys };
}

async function exists(path: string, kind: "file" | "directory"): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    return kind === "file" ? info.isFile : info.isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw error;
  }
}

/**
 * Finds and reads the repository's definition and returns its plan; also checks that a
 * devcontainer.json's Dockerfile and context exist. Needs read permission on `repoDir`.
 */
export async function resolvePlan(options: ResolveOptions): Promise<EnvironmentPlan> {
  const repoDir = resolve(options.repoDir);
  const found = await findConfig(repoDir);
  const notes = "ignored" in found && found.ignored
    ? [
      `${
        found.ignored.map((f) => relative(repoDir, f)).join(", ")
      }: several dev container configurations found; none chosen`,
    ]
    : [];
  if (found.kind === "default") {
    const plan = defaultPlan(options.name, options.defaultImage);
    return { ...plan, warnings: notes };
  }
  if (found.kind === "dockerfile") {
    return { ...dockerfilePlan(repoDir, options.name), warnings: notes };
  }
  let text: string;
  try {
    text = await Deno.readTextFile(found.file);
  } catch (error) {
    throw new RepocateError("INPUT_INVALID", `${found.file}: cannot read: ${error}`, {
      cause: error,
    });
  }
  const { plan, keys } = readConfig({ ...options, repoDir, text, file: found.file });
  if (plan.build) {
    const faults: string[] = [];
    const dockerfile = resolve(plan.build.context, plan.build.dockerfile);
    if (!await exists(plan.build.context, "directory")) {
      faults.push(`${keys.contextKey}: no such folder: ${plan.build.context}`);
    }
    if (!await exists(dockerfile, "file")) {
      faults.push(`${keys.dockerfileKey}: no such file: ${dockerfile}`);
    }
    if (faults.length > 0) {
      throw new RepocateError("INPUT_INVALID", `${found.file}: ${faultList(faults)}`);
    }
  }
  return plan;
}

/**
 * The subset of devcontainer.json (containers.dev/implementors/json_reference) repocate reads,
 * in zod, and the catalogue of the properties it does not honour. The schema checks types only;
 * resolve.ts checks meaning (ports in range, absolute paths, mount syntax) and names each fault.
 *
 * Objects are loose: a key the schema does not list is not an error but a warning, so a config
 * written for VS Code or devcontainers/cli still opens.
 *
 * @module
 */
import { z } from "zod";
import { formatJsonPath } from "../../manifest/parse.ts";

const nonEmpty = z.string().min(1, "must not be empty");
const stringList = z.array(z.string());
const stringMap = z.record(z.string(), z.string());

/** A lifecycle command: a shell string, an argv array, or an object of those run in parallel. */
export const commandSchema = z.union([
  z.string(),
  stringList,
  z.record(z.string(), z.union([z.string(), stringList])),
], { error: "must be a string, an array of strings, or an object of those" });

/** A `forwardPorts` entry: a port number or `"host:port"`. */
export const portSchema = z.union([z.number(), z.string()], {
  error: 'must be a port number or "host:port"',
});

/** A `mounts` entry: the `docker run --mount` string, or an object. */
export const mountSchema = z.union([
  z.string(),
  z.looseObject({
    type: z.string(),
    source: z.string().optional(),
    target: z.string(),
  }),
], { error: 'must be a mount string "source=...,target=...,type=..." or an object' });

/** The `build` object. */
export const buildSchema = z.looseObject({
  dockerfile: nonEmpty.optional(),
  context: nonEmpty.optional(),
  args: stringMap.optional(),
  target: nonEmpty.optional(),
  cacheFrom: z.union([z.string(), stringList]).optional(),
  options: stringList.optional(),
});

/**
 * devcontainer.json as repocate reads it (types only). Properties it does not honour are not
 * checked: they only produce warnings.
 */
export const devcontainerSchema = z.looseObject({
  image: nonEmpty.optional(),
  build: buildSchema.optional(),
  dockerFile: nonEmpty.optional(),
  context: nonEmpty.optional(),
  containerEnv: stringMap.optional(),
  remoteEnv: z.record(z.string(), z.string().nullable()).optional(),
  forwardPorts: z.array(portSchema).optional(),
  mounts: z.array(mountSchema).optional(),
  workspaceFolder: nonEmpty.optional(),
  remoteUser: nonEmpty.optional(),
  containerUser: nonEmpty.optional(),
  onCreateCommand: commandSchema.optional(),
  updateContentCommand: commandSchema.optional(),
  postCreateCommand: commandSchema.optional(),
  postStartCommand: commandSchema.optional(),
  runArgs: stringList.optional(),
  capAdd: stringList.optional(),
  securityOpt: stringList.optional(),
  privileged: z.boolean().optional(),
  init: z.boolean().optional(),
  overrideCommand: z.boolean().optional(),
});

/** A validated devcontainer.json. */
export type DevcontainerConfig = z.infer<typeof devcontainerSchema>;

/** Top-level keys that only editors read; ignored without a warning. */
export const EDITOR_ONLY_KEYS: ReadonlySet<string> = new Set([
  "$schema",
  "name",
  "customizations",
  "portsAttributes",
  "otherPortsAttributes",
  "waitFor", // every creation command has finished before repocate hands the container over
  "shutdownAction", // repocate's lifecycle decides when containers stop
]);

/** Top-level keys repocate honours (some only in part, see resolve.ts). */
export const HONOURED_KEYS: ReadonlySet<string> = new Set([
  "image",
  "build",
  "dockerFile",
  "context",
  "containerEnv",
  "remoteEnv",
  "forwardPorts",
  "mounts",
  "workspaceFolder",
  "remoteUser",
  "containerUser",
  "onCreateCommand",
  "updateContentCommand",
  "postCreateCommand",
  "postStartCommand",
  "runArgs",
  "capAdd",
  "securityOpt",
  "privileged",
  "init",
  "overrideCommand",
]);

/** Spec properties repocate does not honour, and why; each present one becomes a warning. */
export const UNSUPPORTED_KEYS: Readonly<Record<string, string>> = {
  features: "dev container features are not supported; they are not installed",
  overrideFeatureInstallOrder: "dev container features are not supported",
  dockerComposeFile: "Docker Compose configurations are not supported",
  service: "Docker Compose configurations are not supported",
  runServices: "Docker Compose configurations are not supported",
  initializeCommand: "runs on the host; not supported, not run",
  postAttachCommand: "repocate attaches no editor; not run",
  appPort: "not supported; use forwardPorts",
  workspaceMount: "not supported; repocate mounts the workspace itself",
  updateRemoteUserUID: "not supported; user ids are not changed",
  userEnvProbe: "not supported; remoteEnv is applied as is",
  hostRequirements: "not checked",
};

/** Keys of `build` repocate honours. */
export const BUILD_KEYS: ReadonlySet<string> = new Set(["dockerfile", "context", "args", "target"]);

/** Keys of `build` repocate does not honour, and why. */
export const UNSUPPORTED_BUILD_KEYS: Readonly<Record<string, string>> = {
  cacheFrom: "not supported; the build uses the local cache only",
  options: "extra docker build flags are not supported",
};

/**
 * One warning for each top-level and `build` key of `data` that is neither honoured nor
 * editor-only, naming it and why (`features` also lists the feature ids); and for
 * `overrideCommand: false`.
 */
export function unhonouredKeyWarnings(
  data: Record<string, unknown>,
  config: DevcontainerConfig,
): string[] {
  const warnings: string[] = [];
  for (const key of Object.keys(data)) {
    if (HONOURED_KEYS.has(key) || EDITOR_ONLY_KEYS.has(key)) continue;
    const at = formatJsonPath([key]);
    const value = data[key];
    if (
      key === "features" && value !== null && typeof value === "object" && !Array.isArray(value)
    ) {
      const ids = Object.keys(value).join(", ") || "none";
      warnings.push(`${at}: ${UNSUPPORTED_KEYS[key]} (${ids})`);
    } else if (Object.hasOwn(UNSUPPORTED_KEYS, key)) {
      warnings.push(`${at}: ${UNSUPPORTED_KEYS[key]}`);
    } else warnings.push(`${at}: unknown property; ignored`);
  }
  for (const key of Object.keys(config.build ?? {})) {
    if (BUILD_KEYS.has(key)) continue;
    const reason = Object.hasOwn(UNSUPPORTED_BUILD_KEYS, key)
      ? UNSUPPORTED_BUILD_KEYS[key]
      : "unknown property; ignored";
    warnings.push(`${formatJsonPath(["build", key])}: ${reason}`);
  }
  if (config.overrideCommand === false) {
    warnings.push(
      "overrideCommand: false is not supported; repocate keeps the container running itself",
    );
  }
  return warnings;
}

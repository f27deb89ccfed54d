/**
 * Whether a devcontainer.json pulls an image or builds a Dockerfile, and from where.
 *
 * - A Dockerfile wins over `image` when both are set (devcontainers/cli checks for a Dockerfile
 *   first); `image` is then named in a warning. Neither is a fault; Compose is not supported.
 * - `build.dockerfile` and `build.context` are relative to the devcontainer.json's folder. With
 *   no context the Dockerfile's own folder is the context: what devcontainers/cli does, and for
 *   the usual layout the spec's default ".". The legacy top-level `dockerFile`/`context` win
 *   over `build.*` when `dockerFile` is present; `build.args`/`build.target` apply to both.
 * - Context and Dockerfile must lie inside the repository (repocate's rule: a cloned repository
 *   must not ship host files into its image).
 *
 * Pure.
 *
 * @module
 */
import { dirname, isAbsolute, relative, resolve, SEPARATOR } from "@std/path";
import type { DevcontainerConfig } from "./schema.ts";
import type { BuildPlan } from "./types.ts";

/** Whether `path` is `dir` or lies below it (both absolute). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== ".." && !rel.startsWith(`..${SEPARATOR}`) && !isAbsolute(rel);
}

/** The image or build of a config, and the keys naming the Dockerfile and context. */
export interface ImageOrBuild {
  /** The image to run, when nothing is built. */
  image?: string;
  /** What to build. */
  build?: BuildPlan;
  /** `dockerFile` (legacy) or `build.dockerfile`: the key faults about the Dockerfile name. */
  dockerfileKey: string;
  /** `context` (legacy) or `build.context`. */
  contextKey: string;
}

/**
 * The image or build of `config` read from `file` (absolute) in `repoDir` (absolute); pushes
 * faults and warnings with their JSON paths.
 */
export function imageOrBuild(
  config: DevcontainerConfig,
  file: string,
  repoDir: string,
  faults: string[],
  warnings: string[],
): ImageOrBuild {
  const legacy = config.dockerFile !== undefined;
  const dockerfile = legacy ? config.dockerFile : config.build?.dockerfile;
  const dockerfileKey = legacy ? "dockerFile" : "build.dockerfile";
  const contextKey = legacy ? "context" : "build.context";
  if (legacy && config.build?.dockerfile) {
    warnings.push("build.dockerfile: ignored; the legacy dockerFile is set and wins");
  }
  if (!legacy && config.context !== undefined) {
    warnings.push("context: ignored without the legacy dockerFile; use build.context");
  }
  if (dockerfile === undefined) {
    if (config.image !== undefined) {
      if (config.build) warnings.push("build: ignored without build.dockerfile; image is used");
      return { image: config.image, dockerfileKey, contextKey };
    }
    if (config.dockerComposeFile !== undefined && config.dockerComposeFile !== null) {
      faults.push(
        "dockerComposeFile: Docker Compose configurations are not supported; set image or build.dockerfile",
      );
    } else if (config.build) faults.push("build.dockerfile: required (or set image)");
    else faults.push("(root): set image or build.dockerfile");
    return { dockerfileKey, contextKey };
  }
  if (config.image !== undefined) {
    warnings.push("image: ignored; the Dockerfile build wins, as in devcontainers/cli");
  }
  const configDir = dirname(file);
  const dockerfilePath = resolve(configDir, dockerfile);
  const contextValue = legacy ? config.context : config.build?.context;
  const context = contextValue === undefined
    ? dirname(dockerfilePath)
    : resolve(configDir, contextValue);
  if (!isInside(repoDir, dockerfilePath)) {
    faults.push(`${dockerfileKey}: must lie inside the repository: ${dockerfilePath}`);
  }
  if (!isInside(repoDir, context)) {
    faults.push(`${contextKey}: must lie inside the repository: ${context}`);
  }
  const build: BuildPlan = {
    context,
    dockerfile: relative(context, dockerfilePath).split(SEPARATOR).join("/"),
    args: { ...config.build?.args },
  };
  if (config.build?.target) build.target = config.build.target;
  return { build, dockerfileKey, contextKey };
}

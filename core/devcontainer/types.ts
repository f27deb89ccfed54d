/**
 * The normalized result of reading a repository's dev container configuration: what to build or
 * pull, and how to run the container. Produced by `resolvePlan` (resolve.ts), consumed by the
 * lifecycle core, which turns it into registry action calls.
 *
 * @module
 */

/**
 * A lifecycle command, as devcontainer.json allows it: a string runs in a shell (`/bin/sh -c`),
 * an array runs as is without a shell, an object runs its named commands in parallel.
 */
export type Command =
  | { kind: "shell"; command: string }
  | { kind: "exec"; argv: string[] }
  | { kind: "parallel"; commands: Record<string, Command> };

/** A mount of the container; `source` is an absolute host path (bind) or a volume name. */
export interface Mount {
  /** `bind` mounts a host path, `volume` a named Docker volume. */
  type: "bind" | "volume";
  /** Absolute host path (bind) or volume name (volume). */
  source: string;
  /** Absolute path in the container. */
  target: string;
  /** Mounted read-only. */
  readonly: boolean;
}

/** What to build: a Dockerfile inside a context folder. */
export interface BuildPlan {
  /** Absolute path of the build context. */
  context: string;
  /** The Dockerfile, relative to `context` (POSIX separators; may start with `../`). */
  dockerfile: string;
  /** `--build-arg` values. */
  args: Record<string, string>;
  /** The build stage to stop at (`--target`). */
  target?: string;
}

/** The subset of `docker run` flags repocate honours (from `runArgs` and top-level keys). */
export interface RunArgs {
  /** `--cap-add` values, and top-level `capAdd`. */
  capAdd: string[];
  /** `--security-opt` values, and top-level `securityOpt`. */
  securityOpt: string[];
  /** `--privileged`, or top-level `privileged`. */
  privileged: boolean;
  /** `-e`/`--env` values. */
  env: Record<string, string>;
  /** `-l`/`--label` values. */
  labels: Record<string, string>;
  /** `--init`, or top-level `init`. */
  init: boolean;
  /** `--network`/`--net`. */
  network?: string;
}

/** Where the environment's definition came from. */
export type PlanSource = "devcontainer" | "dockerfile" | "default";

/** Everything the lifecycle core needs to build and run a repository's container. */
export interface EnvironmentPlan {
  /** A devcontainer.json, a root Dockerfile, or neither (the default image). */
  source: PlanSource;
  /** Absolute path of the devcontainer.json (source `devcontainer` only). */
  configFile?: string;
  /** The image to run, when nothing is built. */
  image?: string;
  /** What to build, when the image comes from a Dockerfile. */
  build?: BuildPlan;
  /** Environment of the container itself (`docker run -e`). */
  containerEnv: Record<string, string>;
  /**
   * Environment of the processes repocate starts in the container (exec, enter, lifecycle
   * commands). Values may still hold `${containerEnv:VAR}`: they resolve inside the container.
   */
  remoteEnv: Record<string, string>;
  /** Container ports to forward, 1..65535, without duplicates. */
  forwardPorts: number[];
  /** Extra mounts (the workspace itself is not among them). */
  mounts: Mount[];
  /** Where the repository lives in the container (absolute). */
  workspaceFolder: string;
  /** The user lifecycle commands and sessions run as (default: `containerUser`). */
  remoteUser?: string;
  /** The user the container runs as (default: the image's). */
  containerUser?: string;
  /** Runs once when the container is created, first. */
  onCreateCommand?: Command;
  /** Runs once when the container is created, after `onCreateCommand`. */
  updateContentCommand?: Command;
  /** Runs once when the container is created, after `updateContentCommand`. */
  postCreateCommand?: Command;
  /** Runs every time the container starts. */
  postStartCommand?: Command;
  /** The supported `docker run` flags. */
  runArgs: RunArgs;
  /** What was found but is not honoured, one sentence each, naming the property. */
  warnings: string[];
}

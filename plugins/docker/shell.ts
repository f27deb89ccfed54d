/**
 * The command line of an interactive shell in a container: `docker exec -it` for the docker
 * CLI, aimed at the same engine the plugin talks to. {@link shellCommandArgv} builds it (pure);
 * {@link shellCommand} first picks the shell, `/bin/bash` when the container has one.
 *
 * @module
 */
import { type EngineAddress, formatAddress } from "./client.ts";
import type { Engine } from "./engine.ts";
import { DockerPluginError } from "./errors.ts";
import { execInContainer } from "./exec.ts";

/** Input of {@link shellCommand}. */
export interface ShellCommandInput {
  /** Container id or name; it must be running when the command is run. */
  id: string;
  /** User (name or uid[:gid]) to run as (`-u`); the container's user by default. */
  user?: string;
  /** Working directory (`-w`); the container's by default. */
  workdir?: string;
  /** Extra environment (`-e K=V` each, in the map's order). */
  env?: Record<string, string>;
  /** The shell and its arguments; {@link BASH_SHELL} if the container has it, else {@link DEFAULT_SHELL}. */
  shell?: string[];
  /** Attach a terminal and stdin (`-it`); true by default. False runs it as a plain command. */
  interactive?: boolean;
}

/** The shell used when none is given and the container has no `/bin/bash`. */
export const DEFAULT_SHELL: readonly string[] = ["/bin/sh"];

/** The shell preferred when none is given and the container has it. */
export const BASH_SHELL: readonly string[] = ["/bin/bash"];

/** The docker CLI's program name, looked up on PATH by whoever runs the command. */
export const DOCKER_CLI = "docker";

/**
 * The docker CLI's global flags that aim it at `address`: `-H unix:///path` or
 * `-H tcp://host:port`, plus `--tlsverify` for a TLS engine (certificates then come from
 * `DOCKER_CERT_PATH` or `~/.docker`, as the CLI reads them). `-H` wins over `DOCKER_HOST` and
 * the current docker context.
 */
export function engineHostArgs(address: EngineAddress): string[] {
  if (address.kind === "unix") return ["-H", formatAddress(address)];
  const tcp = formatAddress({ ...address, tls: false });
  return address.tls ? ["-H", tcp, "--tlsverify"] : ["-H", tcp];
}

/**
 * The argv of `docker exec` into `input.id` running `shell`: the CLI, {@link engineHostArgs},
 * `exec`, `-it` unless `interactive` is false, `-u`, `-w`, one `-e K=V` per variable, the
 * container, then the shell. Throws `invalid_input` for an empty shell or an environment name
 * that is empty or holds `=`.
 */
export function shellCommandArgv(
  address: EngineAddress,
  input: Omit<ShellCommandInput, "shell">,
  shell: readonly string[],
): string[] {
  if (shell.length === 0) {
    throw new DockerPluginError("invalid_input", "docker: shell command: the shell is empty");
  }
  const argv = [DOCKER_CLI, ...engineHostArgs(address), "exec"];
  if (input.interactive !== false) argv.push("-it");
  if (input.user !== undefined) argv.push("-u", input.user);
  if (input.workdir !== undefined) argv.push("-w", input.workdir);
  for (const [key, value] of Object.entries(input.env ?? {})) {
    if (key === "" || key.includes("=")) {
      throw new DockerPluginError(
        "invalid_input",
        `docker: shell command: environment name "${key}" must be non-empty and hold no "="`,
      );
    }
    argv.push("-e", `${key}=${value}`);
  }
  argv.push(input.id, ...shell);
  return argv;
}

/** Whether container `id` (running) has an executable `/bin/bash`, by running `test -x` in it. */
export async function hasBash(engine: Engine, id: string): Promise<boolean> {
  const probe = await execInContainer(engine, { id, cmd: ["test", "-x", "/bin/bash"] });
  return probe.exitCode === 0;
}

/**
 * The argv of an interactive shell in container `input.id` for the docker CLI, against
 * `engine`'s address (see {@link shellCommandArgv}). Without `input.shell` it asks the container
 * whether it has `/bin/bash` ({@link hasBash}), so the container must be running; the failure
 * otherwise is the exec's (`conflict` when stopped, `not_found` when missing).
 */
export async function shellCommand(
  engine: Engine,
  input: ShellCommandInput,
): Promise<{ argv: string[] }> {
  const shell = input.shell ??
    (await hasBash(engine, input.id) ? BASH_SHELL : DEFAULT_SHELL);
  return { argv: shellCommandArgv(engine.address, input, shell) };
}

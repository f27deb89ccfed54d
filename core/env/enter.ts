/**
 * `repocate enter`: run a command in an environment (started first if stopped) as its remote
 * user, in its workspace folder, with its remoteEnv; or hand the terminal to a shell.
 *
 * @module
 */
import { RepocateError } from "../../errors.ts";
import { existingPlan } from "./plan.ts";
import { findWithContainer } from "./environments.ts";
import type { Services } from "./services.ts";
import type { EnvSettings } from "./settings.ts";

/** How to run a command in an environment. */
export interface ExecTarget {
  /** Container id. */
  id: string;
  /** Working directory. */
  workdir: string;
  /** User, when the configuration names one. */
  user?: string;
  /** remoteEnv. */
  env: Record<string, string>;
}

/** Finds the environment, starts it when stopped, and says how to run commands in it. */
export async function execTarget(
  services: Services,
  settings: EnvSettings,
  nameOrRepo: string,
): Promise<ExecTarget> {
  const env = await findWithContainer(services, settings, nameOrRepo);
  if (env.state !== "running") await services.container("start", env.containerId);
  const plan = await existingPlan(env.workspace, env.name, env.image ?? settings.defaultImage);
  const user = env.remoteUser ?? undefined;
  return {
    id: env.containerId,
    workdir: env.workspaceFolder || plan?.workspaceFolder || "/",
    ...(user ? { user } : {}),
    env: plan?.remoteEnv ?? {},
  };
}

/** Runs `argv` in the environment; returns its exit code and output. */
export async function execInEnvironment(
  services: Services,
  settings: EnvSettings,
  nameOrRepo: string,
  argv: string[],
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  if (!argv.length) throw new RepocateError("USAGE", "no command given after --");
  const target = await execTarget(services, settings, nameOrRepo);
  return await services.exec({
    id: target.id,
    cmd: argv,
    env: target.env,
    workdir: target.workdir,
    ...(target.user ? { user: target.user } : {}),
  });
}

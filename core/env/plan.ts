/**
 * The plan of a workspace: its devcontainer.json (or Dockerfile, or the default image) resolved
 * with the host variables repocate may read, and `--image` applied as an override.
 *
 * @module
 */
import { type EnvironmentPlan, resolvePlan } from "../devcontainer/mod.ts";
import { localEnv } from "./local_env.ts";

/** Resolves the plan of `workspace`; an `image` override replaces whatever it would build. */
export async function planOf(
  workspace: string,
  name: string,
  defaultImage: string,
  image?: string,
): Promise<EnvironmentPlan> {
  const plan = await resolvePlan({
    repoDir: workspace,
    name,
    defaultImage: image ?? defaultImage,
    env: localEnv(),
  });
  if (image) {
    plan.image = image;
    plan.build = undefined;
  }
  return plan;
}

/** Like {@link planOf}, but `null` when the workspace's configuration no longer resolves. */
export function existingPlan(
  workspace: string,
  name: string,
  defaultImage: string,
): Promise<EnvironmentPlan | null> {
  return planOf(workspace, name, defaultImage).catch(() => null);
}

/**
 * devcontainer.json semantics for repocate's lifecycle: find a repository's definition, read it
 * into an {@link EnvironmentPlan} (what to build or pull, how to run the container), and
 * fingerprint the plan's image and container parts. No Docker, no git: the lifecycle core turns
 * the plan into registry action calls.
 *
 * ```ts
 * const plan = await resolvePlan({ repoDir, name, defaultImage, env });
 * const [image, container] = [await configHash(plan, repoDir), await runHash(plan)];
 * ```
 *
 * @module
 */
export type { BuildPlan, Command, EnvironmentPlan, Mount, PlanSource, RunArgs } from "./types.ts";
export { type ConfigLocation, findConfig } from "./find.ts";
export { parseJsonc } from "./jsonc.ts";
export {
  type ConfigInput,
  defaultPlan,
  dockerfilePlan,
  planFromConfig,
  type ResolveOptions,
  resolvePlan,
} from "./resolve.ts";
export { configHash, runHash } from "./config_hash.ts";

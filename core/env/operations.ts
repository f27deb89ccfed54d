/**
 * The smaller lifecycle steps: start, stop, remove (snapshot first; the workspace stays unless
 * purged), snapshot, rollback (snapshot first), clone without a container, and volumes.
 *
 * @module
 */
import { join } from "@std/path";
import { RepocateError } from "../../errors.ts";
import { existingPlan } from "./plan.ts";
import { acquireCreateLock } from "./create_lock.ts";
import {
  type Environment,
  findEnvironment,
  findWithContainer,
  fromContainer,
  listEnvironments,
} from "./environments.ts";
import { runHook } from "./hooks.ts";
import { forName, LABEL, MANAGED, volumeName } from "./labels.ts";
import { checkEnvName } from "./names.ts";
import type { Progress, Services, Snapshot } from "./services.ts";
import type { EnvSettings } from "./settings.ts";

/**
 * Fails before anything is done when an action `what` needs is not registered, which means
 * its plugin did not load: names the plugin and the actions (the plugin's load error says why).
 * Otherwise starts the plugins of those actions side by side, ahead of their first calls.
 */
export function requireActions(services: Services, what: string, actions: string[]): void {
  const missing = actions.filter((a) => !services.has(a));
  if (missing.length === 0) return services.prepare(actions);
  const plugins = [...new Set(missing.map((a) => `"${a.split(".")[0]}"`))];
  throw new RepocateError(
    "PLUGIN_UNLOADED",
    `${what} needs the ${plugins.join(" and ")} plugin's action${missing.length > 1 ? "s" : ""} ` +
      `${missing.join(", ")}, which ${missing.length > 1 ? "are" : "is"} not registered: ` +
      `the plugin did not load (its error says why; \`repocate plugins list\` shows it); ` +
      `nothing was changed`,
  );
}

/**
 * Snapshots `env`'s workspace before `what` (rm, rebuild) changes anything; a failed snapshot
 * stops `what` there, and the error says so.
 */
export async function snapshotFirst(
  services: Services,
  env: { name: string; workspace: string },
  what: string,
): Promise<Snapshot> {
  requireActions(services, what, ["git.snapshot.create"]);
  try {
    return await services.snapshot(env.workspace, `before ${what} of ${env.name}`);
  } catch (error) {
    if (!(error instanceof RepocateError)) throw error;
    throw new RepocateError(
      error.code,
      `${what} of "${env.name}" stopped before changing anything: the snapshot it takes first ` +
        `failed: ${error.message}`,
      { cause: error },
    );
  }
}

async function current(services: Services, name: string): Promise<Environment> {
  const [container] = await services.containers(forName(name));
  if (!container) throw new RepocateError("ACTION_FAILED", `the container of "${name}" is gone`);
  return fromContainer(container);
}

/** Starts a stopped environment; runs `postStartCommand`, never the create-time hooks. */
export async function startEnvironment(
  services: Services,
  settings: EnvSettings,
  nameOrRepo: string,
  progress: Progress,
): Promise<Environment> {
  const env = await findWithContainer(services, settings, nameOrRepo);
  if (env.state === "running") return env;
  await services.container("start", env.containerId);
  const plan = await existingPlan(env.workspace, env.name, env.image ?? settings.defaultImage);
  if (plan?.postStartCommand) {
    await runHook(
      services,
      env.containerId,
      plan,
      "postStartCommand",
      plan.postStartCommand,
      progress,
    );
  }
  return current(services, env.name);
}

/** Stops an environment; the container, workspace and volume stay. */
export async function stopEnvironment(
  services: Services,
  settings: EnvSettings,
  nameOrRepo: string,
): Promise<Environment> {
  const env = await findWithContainer(services, settings, nameOrRepo);
  if (env.state === "running") await services.container("stop", env.containerId);
  return current(services, env.name);
}

/** Records the workspace's whole working tree as a snapshot. */
export async function snapshotEnvironment(
  services: Services,
  settings: EnvSettings,
  nameOrRepo: string,
  message: string,
): Promise<Snapshot> {
  requireActions(services, "snapshot", ["git.snapshot.create"]);
  const env = await findEnvironment(services, settings, nameOrRepo);
  return await services.snapshot(env.workspace, message);
}

/** Lists an environment's snapshots, newest first. */
export async function listSnapshots(
  services: Services,
  settings: EnvSettings,
  nameOrRepo: string,
): Promise<Snapshot[]> {
  requireActions(services, "snapshot --list", ["git.snapshot.list"]);
  const env = await findEnvironment(services, settings, nameOrRepo);
  return await services.snapshots(env.workspace);
}

/** Restores the workspace to a snapshot, after the git plugin snapshots the current state. */
export async function rollbackEnvironment(
  services: Services,
  settings: EnvSettings,
  nameOrRepo: string,
  id: string,
): Promise<{ id: string; safetySnapshot: Snapshot }> {
  requireActions(services, "rollback", ["git.snapshot.rollback"]);
  const env = await findEnvironment(services, settings, nameOrRepo);
  const release = await acquireCreateLock(settings.locks, env.name);
  try {
    return await services.rollback(env.workspace, id);
  } finally {
    await release();
  }
}

/** What `rm` did. */
export interface RemoveResult {
  /** The environment. */
  name: string;
  /** The snapshot taken first (null when the workspace is gone). */
  snapshot: Snapshot | null;
  /** Whether a container was removed. */
  containerRemoved: boolean;
  /** Whether the workspace and home volume were deleted (`--purge`). */
  purged: boolean;
}

/**
 * Removes an environment's container after snapshotting its workspace. With `purge`, also
 * deletes the workspace folder and the home volume (the CLI asks first unless `--yes`).
 */
export async function removeEnvironment(
  services: Services,
  settings: EnvSettings,
  nameOrRepo: string,
  options: { purge: boolean },
  progress: Progress,
): Promise<RemoveResult> {
  const env = await findEnvironment(services, settings, nameOrRepo);
  const release = await acquireCreateLock(settings.locks, env.name);
  try {
    let snapshot: Snapshot | null = null;
    try {
      await Deno.stat(join(env.workspace, ".git"));
      snapshot = await snapshotFirst(services, env, "rm");
      progress(`snapshot ${snapshot.id} taken before removal`);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (env.containerId) await services.removeContainer(env.containerId);
    if (options.purge) {
      await services.removeVolume(volumeName(env.name));
      if (env.workspace.startsWith(settings.workspaces + "/")) {
        await Deno.remove(env.workspace, { recursive: true }).catch((e) => {
          if (!(e instanceof Deno.errors.NotFound)) throw e;
        });
      }
    }
    return {
      name: env.name,
      snapshot,
      containerRemoved: env.containerId !== null,
      purged: options.purge,
    };
  } finally {
    await release();
  }
}

/** Clones a repository into the workspace root without making a container. */
export async function cloneOnly(
  services: Services,
  settings: EnvSettings,
  req: { repo: string; name?: string; branch?: string; cwd?: string },
  progress: Progress,
): Promise<{ name: string; workspace: string; url: string }> {
  requireActions(services, "clone", ["git.url.parse", "git.clone"]);
  const envs = await listEnvironments(services, settings);
  const ref = await services.parseRepo(req.repo, req.cwd ?? Deno.cwd(), envs.map((e) => e.name));
  const name = checkEnvName(req.name ?? ref.suggestedName);
  const workspace = join(settings.workspaces, name);
  await Deno.mkdir(settings.workspaces, { recursive: true });
  await services.clone({
    url: ref.url,
    dest: workspace,
    ...(req.branch ? { branch: req.branch } : {}),
  }, progress);
  return { name, workspace, url: ref.url };
}

/** This home's volumes with the environment each belongs to and whether it is in use. */
export async function listVolumes(
  services: Services,
  settings: EnvSettings,
): Promise<{ name: string; environment: string; inUse: boolean }[]> {
  const [volumes, containers] = await Promise.all([
    services.volumes({ ...MANAGED, [LABEL.home]: settings.home }),
    services.containers(MANAGED),
  ]);
  const used = new Set(containers.map((c) => c.labels[LABEL.volume]));
  return volumes.map((v) => ({
    name: v.name,
    environment: v.labels[LABEL.name] ?? "",
    inUse: used.has(v.name),
  }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Removes one of repocate's volumes; refuses one an environment's container still uses. */
export async function removeVolume(
  services: Services,
  settings: EnvSettings,
  name: string,
): Promise<void> {
  const volumes = await listVolumes(services, settings);
  const volume = volumes.find((v) => v.name === name);
  if (!volume) throw new RepocateError("USAGE", `no repocate volume "${name}"`);
  if (volume.inUse) {
    throw new RepocateError(
      "USAGE",
      `volume "${name}" belongs to the container of environment "${volume.environment}"; ` +
        `remove the environment first (repocate rm ${volume.environment})`,
    );
  }
  await services.removeVolume(name);
}

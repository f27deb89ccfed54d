/**
 * `repocate rebuild`: a new image (only when devcontainer.json, the Dockerfile or its context
 * changed; Docker's layer cache is reused) and a new container, with the same workspace and
 * home volume. The workspace is snapshotted first; the old container is removed only once the
 * new image is built, so a failed build changes nothing.
 *
 * @module
 */
import { RepocateError } from "../../errors.ts";
import { configHash, runHash } from "../devcontainer/mod.ts";
import { ensureImage, provision } from "./container.ts";
import { acquireCreateLock } from "./create_lock.ts";
import { type Environment, findEnvironment, fromContainer } from "./environments.ts";
import { forName } from "./labels.ts";
import { snapshotFirst } from "./operations.ts";
import { planOf } from "./plan.ts";
import type { Progress, Services, Snapshot } from "./services.ts";
import type { EnvSettings } from "./settings.ts";

/** What `rebuild` did. */
export interface RebuildResult {
  /** The environment after the rebuild. */
  environment: Environment;
  /** The snapshot taken first. */
  snapshot: Snapshot;
  /** Whether the image was built anew (false: its inputs had not changed). */
  imageRebuilt: boolean;
}

/** Rebuilds an environment; `image` overrides the configured image. */
export async function rebuildEnvironment(
  services: Services,
  settings: EnvSettings,
  nameOrRepo: string,
  options: { image?: string },
  progress: Progress,
): Promise<RebuildResult> {
  await services.ping();
  const env = await findEnvironment(services, settings, nameOrRepo);
  const release = await acquireCreateLock(settings.locks, env.name);
  try {
    const snapshot = await snapshotFirst(services, env, "rebuild");
    progress(`snapshot ${snapshot.id} taken before rebuild`);
    const plan = await planOf(env.workspace, env.name, settings.defaultImage, options.image);
    const hash = await configHash(plan, env.workspace);
    if (plan.build && hash === env.configHash) {
      progress("devcontainer.json, Dockerfile and context unchanged");
    }
    const { image, built: imageRebuilt } = await ensureImage(
      services,
      { name: env.name, plan, configHash: hash },
      progress,
    );
    if (env.containerId) {
      progress(`replacing container ${env.containerId.slice(0, 12)}`);
      await services.removeContainer(env.containerId);
    }
    await provision(
      services,
      {
        name: env.name,
        repo: env.repo,
        workspace: env.workspace,
        plan,
        configHash: hash,
        runHash: await runHash(plan),
        home: settings.home,
      },
      image,
      progress,
    );
    const [container] = await services.containers(forName(env.name));
    if (!container) {
      throw new RepocateError("ACTION_FAILED", `the new container of "${env.name}" vanished`);
    }
    return { environment: fromContainer(container), snapshot, imageRebuilt };
  } finally {
    await release();
  }
}

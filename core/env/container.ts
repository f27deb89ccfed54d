/**
 * Turns a resolved plan into an image and a running container, shared by `create` and
 * `rebuild`: build (or reuse) the image, create the labelled container with the workspace and
 * the home volume mounted, start it, run the create-time hooks. A container that fails any step
 * is removed; the workspace and the volume are never touched here.
 *
 * @module
 */
import { basename } from "@std/path";
import type { JsonObject } from "../../interfaces.ts";
import { messageOf, RepocateError } from "../../errors.ts";
import type { EnvironmentPlan } from "../devcontainer/mod.ts";
import { runHook } from "./hooks.ts";
import {
  containerName,
  imageTag,
  LABEL,
  MANAGED,
  pendingContainerName,
  volumeName,
} from "./labels.ts";
import type { Progress, Services } from "./services.ts";

/** What {@link provision} needs. */
export interface ProvisionRequest {
  /** Environment name. */
  name: string;
  /** Repository URL, for the labels. */
  repo: string;
  /** Workspace folder on the host. */
  workspace: string;
  /** The resolved plan. */
  plan: EnvironmentPlan;
  /** Hash of what builds the image. */
  configHash: string;
  /** Hash of what shapes the container. */
  runHash: string;
  /** The repocate home the environment belongs to. */
  home: string;
}

/** The image for `plan`: built (reusing an existing tag for the same hash) or the plan's own. */
export async function ensureImage(
  services: Services,
  req: Pick<ProvisionRequest, "name" | "plan" | "configHash">,
  progress: Progress,
): Promise<{ image: string; built: boolean }> {
  const { plan } = req;
  if (!plan.build) {
    const image = plan.image!;
    if (!(await services.imageExists(image))) {
      throw new RepocateError(
        "ACTION_FAILED",
        `image "${image}" is not on this Docker engine; pull or build it first ` +
          `(repocate builds Dockerfiles but does not pull)`,
      );
    }
    return { image, built: false };
  }
  const tag = imageTag(req.name, req.configHash);
  if (await services.imageExists(tag)) {
    progress(`image ${tag} is up to date`);
    return { image: tag, built: false };
  }
  progress(`building ${tag} from ${plan.build.dockerfile}`);
  await services.build({
    context: plan.build.context,
    dockerfile: plan.build.dockerfile,
    tag,
    buildArgs: plan.build.args,
    // No image labels: the classic builder adds a step per label, a cold build's largest cost
    // after the Dockerfile's own; the tag already names the environment and the config hash.
    labels: {},
  }, progress);
  return { image: tag, built: true };
}

function homeOf(user: string | undefined): string {
  return !user || user === "root" ? "/root" : `/home/${user}`;
}

/** The supported `runArgs` as docker.container.create fields (only those set). */
function runArgsInput(plan: EnvironmentPlan): JsonObject {
  const r = plan.runArgs;
  return {
    ...(r.capAdd.length ? { capAdd: r.capAdd } : {}),
    ...(r.securityOpt.length ? { securityOpt: r.securityOpt } : {}),
    ...(r.privileged ? { privileged: true } : {}),
    ...(r.init ? { init: true } : {}),
    ...(r.network ? { network: r.network } : {}),
  };
}

/** Creates, starts and runs the create-time hooks of the container; returns its id. */
export async function provision(
  services: Services,
  req: ProvisionRequest,
  image: string,
  progress: Progress,
): Promise<string> {
  const { plan, name } = req;
  const volume = volumeName(name);
  await services.createVolume(volume, { ...MANAGED, [LABEL.name]: name, [LABEL.home]: req.home });
  const hostPorts = plan.forwardPorts.length
    ? await services.allocatePorts(plan.forwardPorts.length)
    : [];
  const user = plan.containerUser ?? plan.remoteUser;
  const input: JsonObject = {
    name: pendingContainerName(name),
    image,
    labels: {
      ...MANAGED,
      [LABEL.name]: name,
      [LABEL.repo]: req.repo,
      [LABEL.workspace]: req.workspace,
      [LABEL.folder]: plan.workspaceFolder,
      [LABEL.configHash]: req.configHash,
      [LABEL.runHash]: req.runHash,
      [LABEL.source]: plan.source,
      [LABEL.volume]: volume,
      [LABEL.user]: plan.remoteUser ?? "",
      [LABEL.created]: new Date().toISOString(),
      [LABEL.home]: req.home,
      ...plan.runArgs.labels,
    },
    env: { ...plan.containerEnv, ...plan.runArgs.env },
    mounts: [
      { type: "bind", source: req.workspace, target: plan.workspaceFolder },
      { type: "volume", source: volume, target: homeOf(plan.remoteUser) },
      ...plan.mounts.map((m) => ({ ...m })),
    ],
    ports: plan.forwardPorts.map((container, i) => ({ container, host: hostPorts[i] })),
    workdir: plan.workspaceFolder,
    ...(user ? { user } : {}),
    ...runArgsInput(plan),
  };
  progress(`creating container ${containerName(name)} from ${image}`);
  const { id } = await services.createContainer(input);
  try {
    await services.container("start", id);
    for (
      const [hook, command] of [
        ["onCreateCommand", plan.onCreateCommand],
        ["postCreateCommand", plan.postCreateCommand],
        ["postStartCommand", plan.postStartCommand],
      ] as const
    ) {
      if (command) await runHook(services, id, plan, hook, command, progress);
    }
    await services.renameContainer(id, containerName(name));
    return id;
  } catch (error) {
    progress(`removing the half-made container ${containerName(name)}`);
    await services.removeContainer(id).catch((e) =>
      progress(`could not remove it: ${messageOf(e)}`)
    );
    throw error;
  }
}

/** The default workspace folder inside the container for `workspace`. */
export function defaultWorkspaceFolder(workspace: string): string {
  return `/workspaces/${basename(workspace)}`;
}

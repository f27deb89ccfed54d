/**
 * Environments as repocate shows them, rebuilt from Docker's labelled containers and the
 * workspace folders on every call: there is no second store to drift.
 *
 * @module
 */
import { join } from "@std/path";
import { RepocateError } from "../../errors.ts";
import { isPending, LABEL, MANAGED } from "./labels.ts";
import type { ContainerSummary, Services } from "./services.ts";
import type { EnvSettings } from "./settings.ts";

/** One environment. */
export interface Environment {
  /** Its name. */
  name: string;
  /** The repository it was created from. */
  repo: string;
  /** The workspace folder on the host. */
  workspace: string;
  /** Where the workspace is mounted in the container. */
  workspaceFolder: string;
  /**
   * Container state (`running`, `exited`, ...), `incomplete` while (or if, its creator having
   * died) the container is still being made, or `missing` when only the workspace remains.
   */
  state: string;
  /** Container id, when there is one. */
  containerId: string | null;
  /** Image reference. */
  image: string | null;
  /** Forwarded ports: container port → host port on 127.0.0.1. */
  ports: { container: number; host: number }[];
  /** The container's user for hooks and `enter`. */
  remoteUser: string | null;
  /** Hash of what built the image. */
  configHash: string | null;
  /** ISO creation time. */
  createdAt: string | null;
}

/** Turns a labelled container into an {@link Environment}. */
export function fromContainer(c: ContainerSummary): Environment {
  const l = c.labels;
  return {
    name: l[LABEL.name],
    repo: l[LABEL.repo] ?? "",
    workspace: l[LABEL.workspace] ?? "",
    workspaceFolder: l[LABEL.folder] ?? "",
    state: isPending(c.name) ? "incomplete" : c.state,
    containerId: c.id,
    image: c.image,
    ports: c.ports.filter((p) => p.host !== null).map((p) => ({
      container: p.container,
      host: p.host!,
    }))
      .sort((a, b) => a.container - b.container),
    remoteUser: l[LABEL.user] || null,
    configHash: l[LABEL.configHash] ?? null,
    createdAt: l[LABEL.created] ?? c.created,
  };
}

/**
 * Every environment of this repocate home: labelled containers whose workspace lies under it,
 * plus workspaces whose container is gone.
 */
export async function listEnvironments(
  services: Services,
  settings: EnvSettings,
): Promise<Environment[]> {
  return await environmentsFrom(await services.containers(MANAGED), settings);
}

/** The environments of this home among `containers` (all of repocate's), plus bare workspaces. */
export async function environmentsFrom(
  containers: ContainerSummary[],
  settings: EnvSettings,
): Promise<Environment[]> {
  // Only this repocate home's environments: another REPOCATE_HOME on the same engine is not ours.
  const mine = join(settings.workspaces, "/");
  const envs = containers
    .filter((c) => c.labels[LABEL.name] && (c.labels[LABEL.workspace] ?? "").startsWith(mine))
    .map(fromContainer);
  const known = new Set(envs.map((e) => e.name));
  try {
    for await (const entry of Deno.readDir(settings.workspaces)) {
      if (!entry.isDirectory || known.has(entry.name)) continue;
      envs.push({
        name: entry.name,
        repo: "",
        workspace: join(settings.workspaces, entry.name),
        workspaceFolder: "",
        state: "missing",
        containerId: null,
        image: null,
        ports: [],
        remoteUser: null,
        configHash: null,
        createdAt: null,
      });
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return envs.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Finds an environment by name, or by the repository URL it was created from. Throws
 * `USAGE` naming what was asked for when there is none.
 */
export async function findEnvironment(
  services: Services,
  settings: EnvSettings,
  nameOrRepo: string,
): Promise<Environment> {
  const envs = await listEnvironments(services, settings);
  const hit = envs.find((e) => e.name === nameOrRepo) ??
    envs.find((e) =>
      e.repo &&
      (e.repo === nameOrRepo || e.repo.replace(/\.git$/, "") === nameOrRepo.replace(/\.git$/, ""))
    );
  if (!hit) {
    throw new RepocateError(
      "USAGE",
      `no environment "${nameOrRepo}"` +
        (envs.length
          ? ` (have: ${envs.map((e) => e.name).join(", ")})`
          : "; create one with `repocate create <repo>`"),
    );
  }
  return hit;
}

/** Like {@link findEnvironment} but requires a container. */
export async function findWithContainer(
  services: Services,
  settings: EnvSettings,
  nameOrRepo: string,
): Promise<Environment & { containerId: string }> {
  const env = await findEnvironment(services, settings, nameOrRepo);
  if (!env.containerId) {
    throw new RepocateError(
      "USAGE",
      `environment "${env.name}" has no container (removed behind repocate's back?); its workspace ` +
        `${env.workspace} is intact: run \`repocate rebuild ${env.name}\` to make a new one`,
    );
  }
  return env as Environment & { containerId: string };
}

/**
 * The labels that make a container an environment. State lives in Docker and git only:
 * containers are found by these labels, snapshots are git refs; nothing else is stored.
 *
 * @module
 */

/** Label keys. */
export const LABEL = {
  managed: "dev.repocate.managed",
  name: "dev.repocate.name",
  repo: "dev.repocate.repo",
  workspace: "dev.repocate.workspace",
  folder: "dev.repocate.workspace-folder",
  configHash: "dev.repocate.config-hash",
  runHash: "dev.repocate.run-hash",
  source: "dev.repocate.source",
  volume: "dev.repocate.home-volume",
  user: "dev.repocate.remote-user",
  created: "dev.repocate.created-at",
  home: "dev.repocate.home",
} as const;

/** Labels selecting every repocate container or volume. */
export const MANAGED: Record<string, string> = { [LABEL.managed]: "true" };

/** Labels selecting one environment's container or volume. */
export function forName(name: string): Record<string, string> {
  return { ...MANAGED, [LABEL.name]: name };
}

/** The container name of environment `name`. */
export function containerName(name: string): string {
  return `repocate-${name}`;
}

/**
 * The name a container has while it is being made: it takes {@link containerName} only once
 * its create-time hooks have succeeded, so a container still under this name after its
 * creator died is known to be half-made.
 */
export function pendingContainerName(name: string): string {
  return `${containerName(name)}-creating`;
}

/** Whether `containerName` (as the engine reports it) is a half-made environment's. */
export function isPending(containerName: string): boolean {
  return containerName.replace(/^\//, "").endsWith("-creating");
}

/** The home volume of environment `name`. */
export function volumeName(name: string): string {
  return `repocate-${name}-home`;
}

/** The image tag built for environment `name` at `configHash`. */
export function imageTag(name: string, configHash: string): string {
  return `repocate/${name}:${configHash.slice(0, 12)}`;
}

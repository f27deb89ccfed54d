/**
 * Containers: start, stop, restart, remove, inspect, list (create is in `create.ts`, re-exported
 * here). Every result is a compact JSON view, never a dockerode object.
 *
 * @module
 */
import type { Engine } from "./engine.ts";
import { isNotFound } from "./errors.ts";

/** Container creation, defined in `create.ts` and re-exported for callers importing it here. */
export {
  createContainer,
  type CreateInput,
  KEEP_ALIVE_CMD,
  type MountSpec,
  type PortSpec,
} from "./create.ts";

/** A published port as the engine reports it; `host` is null until the engine assigns one. */
export type PortInfo = {
  container: number;
  protocol: string;
  hostIp: string;
  host: number | null;
};

/** A mount as {@link inspectContainer} reports it. */
export type MountInfo = {
  type: "bind" | "volume";
  source: string;
  target: string;
  readonly: boolean;
};

/** The compact JSON view of a container, as {@link listContainers} returns it. */
export type ContainerSummary = {
  id: string;
  name: string;
  state: string;
  image: string;
  labels: Record<string, string>;
  ports: PortInfo[];
  created: string;
};

/** The compact JSON view of one container, as {@link inspectContainer} returns it. */
export type ContainerInfo = ContainerSummary & {
  running: boolean;
  exitCode: number | null;
  imageId: string;
  startedAt: string | null;
  finishedAt: string | null;
  mounts: MountInfo[];
  cmd: string[];
  workdir: string;
  user: string;
  /** Capabilities added (HostConfig.CapAdd); empty when none. */
  capAdd: string[];
  /** Security options (HostConfig.SecurityOpt); empty when none. */
  securityOpt: string[];
  /** Whether it runs privileged. */
  privileged: boolean;
  /** Whether an init process runs as PID 1 (HostConfig.Init). */
  init: boolean;
  /** Network mode, e.g. `bridge`, `host`, `none`, or a network's name. */
  networkMode: string;
  /** The signal that stops it; empty when the engine's default (SIGTERM) applies. */
  stopSignal: string;
};

/** True for the engine's "304 Not Modified" (already started / already stopped). */
function isNotModified(error: unknown): boolean {
  return !!error && typeof error === "object" &&
    (error as { statusCode?: unknown }).statusCode === 304;
}

/** Starts container `id` (an id or a name); a running one stays as it is. */
export async function startContainer(engine: Engine, id: string): Promise<ContainerInfo> {
  await engine.run(`start container "${id}"`, async (docker) => {
    try {
      await docker.getContainer(id).start();
    } catch (error) {
      if (!isNotModified(error)) throw error;
    }
  });
  return await inspectContainer(engine, id);
}

/** Stops container `id`, killing it after `timeout` seconds; a stopped one stays as it is. */
export async function stopContainer(
  engine: Engine,
  id: string,
  timeout?: number,
): Promise<ContainerInfo> {
  await engine.run(`stop container "${id}"`, async (docker) => {
    try {
      await docker.getContainer(id).stop(timeout === undefined ? {} : { t: timeout });
    } catch (error) {
      if (!isNotModified(error)) throw error;
    }
  });
  return await inspectContainer(engine, id);
}

/** Restarts container `id` (starts it when stopped). */
export async function restartContainer(
  engine: Engine,
  id: string,
  timeout?: number,
): Promise<ContainerInfo> {
  await engine.run(
    `restart container "${id}"`,
    (docker) => docker.getContainer(id).restart(timeout === undefined ? {} : { t: timeout }),
  );
  return await inspectContainer(engine, id);
}

/** Renames container `id` to `name`; returns it as it is now. */
export async function renameContainer(
  engine: Engine,
  id: string,
  name: string,
): Promise<ContainerInfo> {
  await engine.run(
    `rename container "${id}" to "${name}"`,
    (docker) => docker.getContainer(id).rename({ name }),
  );
  return await inspectContainer(engine, id);
}

/**
 * Removes container `id`, running or not unless `force` is false; `volumes` also removes its
 * anonymous volumes. Returns `removed: false` when there was no such container.
 */
export async function removeContainer(
  engine: Engine,
  id: string,
  force = true,
  volumes = false,
): Promise<{ removed: boolean }> {
  try {
    await engine.run(
      `remove container "${id}"`,
      (docker) => docker.getContainer(id).remove({ force, v: volumes }),
    );
    return { removed: true };
  } catch (error) {
    if (isNotFound(error)) return { removed: false };
    throw error;
  }
}

/** The compact view of container `id`; throws `not_found` when there is none. */
export async function inspectContainer(engine: Engine, id: string): Promise<ContainerInfo> {
  const info = await engine.get(
    `inspect container "${id}"`,
    {
      path: `/containers/${id}/json`,
      reasons: { 404: "no such container", 500: "server error" },
    },
    (docker) => docker.getContainer(id).inspect(),
  );
  const running = info.State.Running;
  const bound = info.NetworkSettings?.Ports ?? {};
  const wanted = info.HostConfig?.PortBindings ?? {};
  const ports: PortInfo[] = [];
  for (const [key, list] of Object.entries(running ? bound : wanted)) {
    const [port, protocol] = key.split("/");
    for (const b of (list ?? []) as { HostIp?: string; HostPort?: string }[]) {
      const host = Number(b.HostPort);
      ports.push({
        container: Number(port),
        protocol: protocol ?? "tcp",
        hostIp: b.HostIp ?? "",
        host: b.HostPort && host > 0 ? host : null,
      });
    }
  }
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ""),
    state: info.State.Status,
    image: info.Config.Image,
    labels: info.Config.Labels ?? {},
    ports: ports.sort((a, b) => a.container - b.container),
    created: info.Created,
    running,
    exitCode: running ? null : info.State.ExitCode,
    imageId: info.Image,
    startedAt: zeroToNull(info.State.StartedAt),
    finishedAt: zeroToNull(info.State.FinishedAt),
    mounts: (info.Mounts ?? []).map((m) => ({
      type: m.Type === "volume" ? "volume" : "bind",
      source: m.Type === "volume" ? (m.Name ?? m.Source) : m.Source,
      target: m.Destination,
      readonly: !m.RW,
    })),
    cmd: info.Config.Cmd ?? [],
    workdir: info.Config.WorkingDir ?? "",
    user: info.Config.User ?? "",
    capAdd: info.HostConfig?.CapAdd ?? [],
    securityOpt: info.HostConfig?.SecurityOpt ?? [],
    privileged: info.HostConfig?.Privileged === true,
    init: info.HostConfig?.Init === true,
    networkMode: info.HostConfig?.NetworkMode ?? "",
    stopSignal: (info.Config as { StopSignal?: string }).StopSignal ?? "",
  };
}

function zeroToNull(time: string | undefined): string | null {
  return !time || time.startsWith("0001-01-01") ? null : time;
}

/**
 * Containers (running or not, unless `all` is false) carrying every label in `labels`, oldest
 * first; only those whose id is in `ids` when it is given.
 */
export async function listContainers(
  engine: Engine,
  labels: Record<string, string> = {},
  all = true,
  ids?: string[],
): Promise<ContainerSummary[]> {
  const filters = {
    label: Object.entries(labels).map(([k, v]) => `${k}=${v}`),
    ...(ids ? { id: ids } : {}),
  };
  const list = await engine.get(
    "list containers",
    {
      path: "/containers/json",
      query: { all, filters },
      reasons: { 400: "bad parameter", 500: "server error" },
    },
    (docker) => docker.listContainers({ all, filters }),
  );
  return list
    .map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? "").replace(/^\//, ""),
      state: c.State,
      image: c.Image,
      labels: c.Labels ?? {},
      ports: (c.Ports ?? []).map((p) => ({
        container: p.PrivatePort,
        protocol: p.Type,
        hostIp: p.IP ?? "",
        host: p.PublicPort ?? null,
      })).sort((a, b) => a.container - b.container),
      created: new Date(c.Created * 1000).toISOString(),
    }))
    .sort((a, b) => a.created.localeCompare(b.created) || a.name.localeCompare(b.name));
}

/**
 * Containers: create (kept alive by default), start, stop, restart, remove, inspect, list.
 * Every result is a compact JSON view, never a dockerode object.
 *
 * @module
 */
// @ts-types="npm:@types/dockerode@^4"
import type Docker from "dockerode";
import type { Engine } from "./engine.ts";
import { isNotFound } from "./errors.ts";

/** A mount: a host path (`bind`) or a named volume (`volume`) at `target` in the container. */
export interface MountSpec {
  type: "bind" | "volume";
  source: string;
  target: string;
  readonly?: boolean;
}

/** A published port: `container` port on 127.0.0.1:`host` (`host` absent: the engine picks). */
export interface PortSpec {
  container: number;
  host?: number;
  protocol?: "tcp" | "udp";
}

/** Input of {@link createContainer}. */
export interface CreateInput {
  name: string;
  image: string;
  labels?: Record<string, string>;
  env?: Record<string, string>;
  mounts?: MountSpec[];
  ports?: PortSpec[];
  workdir?: string;
  user?: string;
  cmd?: string[];
  entrypoint?: string[];
}

/** The command a container runs when neither `cmd` nor `entrypoint` is given: it idles. */
export const KEEP_ALIVE_CMD = ["sleep", "infinity"];

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
};

/**
 * Creates container `name` from `image`, its ports published on 127.0.0.1 only. Without `cmd`
 * and `entrypoint` it runs {@link KEEP_ALIVE_CMD} with stop signal SIGKILL (a `sleep` as PID 1
 * ignores SIGTERM, so a stop would otherwise wait out its timeout).
 */
export async function createContainer(
  engine: Engine,
  input: CreateInput,
): Promise<{ id: string; name: string }> {
  const keepAlive = input.cmd === undefined && input.entrypoint === undefined;
  const exposed: Record<string, Record<never, never>> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of input.ports ?? []) {
    const key = `${port.container}/${port.protocol ?? "tcp"}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({
      HostIp: "127.0.0.1",
      HostPort: port.host === undefined ? "" : String(port.host),
    });
  }
  const options: Docker.ContainerCreateOptions = {
    name: input.name,
    Image: input.image,
    Labels: input.labels ?? {},
    Env: Object.entries(input.env ?? {}).map(([k, v]) => `${k}=${v}`),
    ExposedPorts: exposed,
    HostConfig: {
      Mounts: (input.mounts ?? []).map((m) => ({
        Type: m.type,
        Source: m.source,
        Target: m.target,
        ReadOnly: m.readonly ?? false,
      })),
      PortBindings: bindings,
    },
  };
  if (input.workdir !== undefined) options.WorkingDir = input.workdir;
  if (input.user !== undefined) options.User = input.user;
  if (input.entrypoint !== undefined) options.Entrypoint = input.entrypoint;
  if (input.cmd !== undefined) options.Cmd = input.cmd;
  if (keepAlive) {
    options.Cmd = KEEP_ALIVE_CMD;
    options.StopSignal = "SIGKILL";
  }
  const container = await engine.run(
    `create container "${input.name}"`,
    (docker) => docker.createContainer(options),
  );
  return { id: container.id, name: input.name };
}

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
  const info = await engine.run(
    `inspect container "${id}"`,
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
  };
}

function zeroToNull(time: string | undefined): string | null {
  return !time || time.startsWith("0001-01-01") ? null : time;
}

/**
 * Containers (running or not, unless `all` is false) carrying every label in `labels`, oldest
 * first.
 */
export async function listContainers(
  engine: Engine,
  labels: Record<string, string> = {},
  all = true,
): Promise<ContainerSummary[]> {
  const filters = { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
  const list = await engine.run(
    "list containers",
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

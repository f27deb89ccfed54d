/**
 * Creating containers: kept alive by default, ports published on 127.0.0.1 only, with the
 * host settings a dev container may ask for (capabilities, security options, privileged, an
 * init process, the network, the stop signal).
 *
 * @module
 */
// @ts-types="npm:@types/dockerode@^4"
import type Docker from "dockerode";
import type { Engine } from "./engine.ts";

/** A mount: a host path (`bind`) or a named volume (`volume`) at `target` in the container. */
export interface MountSpec {
  /** `bind` for a host path, `volume` for a named volume. */
  type: "bind" | "volume";
  /** The host path (absolute) or the volume's name. */
  source: string;
  /** Where it appears in the container (absolute). */
  target: string;
  /** Mount it read-only; false by default. */
  readonly?: boolean;
}

/** A published port: `container` port on 127.0.0.1:`host` (`host` absent: the engine picks). */
export interface PortSpec {
  /** The port inside the container. */
  container: number;
  /** The port on 127.0.0.1; the engine picks a free one when absent. */
  host?: number;
  /** `tcp` by default. */
  protocol?: "tcp" | "udp";
}

/** Input of {@link createContainer}. */
export interface CreateInput {
  /** The container's name. */
  name: string;
  /** The image to run. */
  image: string;
  /** Labels on the container. */
  labels?: Record<string, string>;
  /** Environment of the container's processes. */
  env?: Record<string, string>;
  /** Bind mounts and named volumes. */
  mounts?: MountSpec[];
  /** Ports published on 127.0.0.1. */
  ports?: PortSpec[];
  /** Working directory; the image's by default. */
  workdir?: string;
  /** User (name or uid[:gid]); the image's by default. */
  user?: string;
  /** The command; {@link KEEP_ALIVE_CMD} when neither this nor `entrypoint` is given. */
  cmd?: string[];
  /** The entrypoint; the image's by default. */
  entrypoint?: string[];
  /** Linux capabilities to add, e.g. `SYS_PTRACE` (HostConfig.CapAdd). */
  capAdd?: string[];
  /** Security options, e.g. `seccomp=unconfined`, `no-new-privileges` (HostConfig.SecurityOpt). */
  securityOpt?: string[];
  /** Run privileged (HostConfig.Privileged); false by default. */
  privileged?: boolean;
  /** Run an init process as PID 1 that reaps zombies and forwards signals (HostConfig.Init). */
  init?: boolean;
  /** Network mode: `bridge`, `host`, `none`, `container:<id>` or a network's name. */
  network?: string;
  /** Signal that stops the container, e.g. `SIGTERM`; the image's by default. */
  stopSignal?: string;
}

/** The command a container runs when neither `cmd` nor `entrypoint` is given: it idles. */
export const KEEP_ALIVE_CMD = ["sleep", "infinity"];

/**
 * The dockerode options for {@link createContainer}: ports on 127.0.0.1 only; without `cmd`
 * and `entrypoint`, {@link KEEP_ALIVE_CMD} with stop signal SIGKILL unless `stopSignal` says
 * otherwise. Host settings absent from `input` are left to the engine's defaults.
 */
export function createOptions(input: CreateInput): Docker.ContainerCreateOptions {
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
  const host: Docker.HostConfig = {
    Mounts: (input.mounts ?? []).map((m) => ({
      Type: m.type,
      Source: m.source,
      Target: m.target,
      ReadOnly: m.readonly ?? false,
    })),
    PortBindings: bindings,
  };
  if (input.capAdd !== undefined) host.CapAdd = input.capAdd;
  if (input.securityOpt !== undefined) host.SecurityOpt = input.securityOpt;
  if (input.privileged !== undefined) host.Privileged = input.privileged;
  if (input.init !== undefined) host.Init = input.init;
  if (input.network !== undefined) host.NetworkMode = input.network;
  const options: Docker.ContainerCreateOptions = {
    name: input.name,
    Image: input.image,
    Labels: input.labels ?? {},
    Env: Object.entries(input.env ?? {}).map(([k, v]) => `${k}=${v}`),
    ExposedPorts: exposed,
    HostConfig: host,
  };
  if (input.workdir !== undefined) options.WorkingDir = input.workdir;
  if (input.user !== undefined) options.User = input.user;
  if (input.entrypoint !== undefined) options.Entrypoint = input.entrypoint;
  if (input.cmd !== undefined) options.Cmd = input.cmd;
  if (keepAlive) {
    options.Cmd = KEEP_ALIVE_CMD;
    options.StopSignal = "SIGKILL";
  }
  if (input.stopSignal !== undefined) options.StopSignal = input.stopSignal;
  return options;
}

/**
 * Creates container `name` from `image` with {@link createOptions}: ports published on
 * 127.0.0.1 only; without `cmd` and `entrypoint` it runs {@link KEEP_ALIVE_CMD} with stop signal
 * SIGKILL (a `sleep` as PID 1 ignores SIGTERM, so a stop would otherwise wait out its timeout).
 */
export async function createContainer(
  engine: Engine,
  input: CreateInput,
): Promise<{ id: string; name: string }> {
  const options = createOptions(input);
  const container = await engine.run(
    `create container "${input.name}"`,
    (docker) => docker.createContainer(options),
  );
  return { id: container.id, name: input.name };
}

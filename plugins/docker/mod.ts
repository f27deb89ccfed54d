/**
 * The builtin docker plugin: containers, images, volumes and host ports on a Docker engine,
 * through dockerode, loaded on the first action that needs it (ping, container list and inspect,
 * image inspect and exists go without it, see native.ts). Export {@link Ops} is what repocate
 * loads.
 *
 * The engine is `config.host` when the manifest gives one, else `DOCKER_HOST`, else
 * `/var/run/docker.sock`. In its Worker it needs, for a unix socket S: read and write on S, net
 * `unix:S` and `127.0.0.1:0`, env `DOCKER_HOST`, and read on build contexts
 * (README.md beside this file says why, and how that was found).
 *
 * @module
 */
import { type Operation, PLUGIN_API_VERSION } from "../../interfaces.ts";
import {
  denoEnv,
  type Docker,
  type EngineAddress,
  type EnvReader,
  formatAddress,
  resolveEngineAddress,
} from "./client.ts";
import { Engine } from "./engine.ts";
import { createClient } from "./loader.ts";
import { PortAllocator } from "./ports.ts";
import { type DockerState, registerDockerActions } from "./actions.ts";

/** The plugin's own version. */
export const VERSION = "0.1.0";

/** Makes the dockerode client for an engine; {@link createClient} unless a test says otherwise. */
export type ClientLoader = (address: EngineAddress, env: EnvReader) => Promise<Docker>;

/**
 * Makes a fresh docker plugin. `env` reads environment variables (Deno's by default); tests
 * pass their own to run several plugins against different engines side by side. `load` makes
 * the dockerode client, on the first action that needs one (never in `initialize`).
 */
export function createDockerOps(
  env: EnvReader = denoEnv,
  load: ClientLoader = createClient,
): Operation {
  let state: DockerState | undefined;
  const current = (): DockerState => {
    if (!state) throw new Error("docker plugin: action called before initialize");
    return state;
  };
  return {
    name: "docker",
    version: VERSION,
    apiVersion: PLUGIN_API_VERSION,
    initialize(ctx) {
      const address = resolveEngineAddress(ctx.config, env);
      state = {
        engine: new Engine(address, () => load(address, env)),
        ports: new PortAllocator(),
        warn: (message) => ctx.log.warn(message),
      };
      ctx.log.debug(`docker engine: ${formatAddress(address)}`);
    },
    registerWithRegistry(registry) {
      const { engine } = current();
      current().registry = registry;
      registry.registerItem({
        kind: "engine",
        name: "docker",
        metadata: { host: formatAddress(engine.address) },
      });
      registerDockerActions(registry, current);
    },
    dispose() {
      state?.watch?.stop();
      state = undefined;
    },
  };
}

/** The docker plugin as repocate loads it. */
export const Ops: Operation = createDockerOps();

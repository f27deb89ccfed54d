/**
 * The builtin docker plugin: containers, images, volumes and host ports on a Docker engine,
 * through dockerode. Export {@link Ops} is what repocate loads.
 *
 * The engine is `config.host` when the manifest gives one, else `DOCKER_HOST`, else
 * `/var/run/docker.sock`. Permissions it needs in its Worker are listed in README.md beside
 * this file: read+write on the socket, env DOCKER_HOST (and the few variables docker-modem
 * reads), net 127.0.0.1 for port allocation, and read on build contexts.
 *
 * @module
 */
import { type Operation, PLUGIN_API_VERSION } from "../../interfaces.ts";
import { denoEnv, type EnvReader, formatAddress, resolveEngineAddress } from "./client.ts";
import { Engine } from "./engine.ts";
import { PortAllocator } from "./ports.ts";
import { type DockerState, registerDockerActions } from "./actions.ts";

/** The plugin's own version. */
export const VERSION = "0.1.0";

/**
 * Makes a fresh docker plugin. `env` reads environment variables (Deno's by default); tests
 * pass their own to run several plugins against different engines side by side.
 */
export function createDockerOps(env: EnvReader = denoEnv): Operation {
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
      state = { engine: new Engine(address), ports: new PortAllocator() };
      ctx.log.debug(`docker engine: ${formatAddress(address)}`);
    },
    registerWithRegistry(registry) {
      const { engine } = current();
      registry.registerItem({
        kind: "engine",
        name: "docker",
        metadata: { host: formatAddress(engine.address) },
      });
      registerDockerActions(registry, current);
    },
    dispose() {
      state = undefined;
    },
  };
}

/** The docker plugin as repocate loads it. */
export const Ops: Operation = createDockerOps();

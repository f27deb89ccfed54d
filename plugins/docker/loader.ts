/**
 * Loads dockerode and makes its client while `process.env` shows only the engine variables.
 *
 * Why: dockerode's dependencies read the environment when they load. The `debug` package lists
 * every variable (`Object.keys(process.env)`), which in a Worker needs `env: true`, i.e. all
 * the host's secrets; `readable-stream` and grpc-js read variables of their own. Loading
 * dockerode with a dynamic import while `process.env` is a plain object holding only what
 * {@link modemEnv} gives lets the plugin run with `env: ["DOCKER_HOST", ...]` or no env at all.
 * docker-modem reads the environment again in its constructor, so the client is made under the
 * same view; after that nothing reads it.
 *
 * Nothing here runs before the first action that needs dockerode (the `Engine` calls
 * {@link createClient} then), and `node:process` too is imported only then: the first `node:`
 * module costs a fresh Worker some 50 to 100 ms, which a `docker.container.list` need not pay.
 *
 * @module
 */
import {
  type Docker,
  dockerodeOptions,
  type EngineAddress,
  type EnvReader,
  modemEnv,
} from "./client.ts";

type DockerClass = typeof Docker;

let loading: Promise<DockerClass> | undefined;

/** Runs `fn` while `process.env` is `view`, then puts the real environment back. */
async function withProcessEnv<T>(view: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const { default: process } = await import("node:process");
  const real = process.env;
  process.env = { ...view };
  try {
    return await fn();
  } finally {
    process.env = real;
  }
}

/** dockerode's class, imported once (under a view of the environment holding nothing). */
export function loadDockerode(): Promise<DockerClass> {
  loading ??= withProcessEnv({}, async () => {
    const module = await import("dockerode");
    return module.default as DockerClass;
  });
  return loading;
}

/**
 * A dockerode client for `address`. Makes no connection: the first call connects, which needs
 * read, write and net `unix:<path>` on a unix socket, or net `host:port` for TCP.
 */
export async function createClient(address: EngineAddress, env: EnvReader): Promise<Docker> {
  const DockerClient = await loadDockerode();
  return await withProcessEnv(
    modemEnv(address, env),
    () => Promise.resolve(new DockerClient(dockerodeOptions(address))),
  );
}

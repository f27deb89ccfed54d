/**
 * Where the Docker engine is, and a dockerode client for it.
 *
 * {@link parseDockerHost} reads a `DOCKER_HOST` value the way the docker CLI does;
 * {@link resolveEngineAddress} picks the plugin config's `host` over the environment;
 * {@link dockerodeOptions} and {@link modemEnv} say what the client is made with. All pure;
 * `loader.ts` makes the client.
 *
 * @module
 */
// @ts-types="npm:@types/dockerode@^4"
import type Docker from "dockerode";
import type { JsonObject } from "../../interfaces.ts";

/** The socket the docker CLI uses when `DOCKER_HOST` is unset. */
export const DEFAULT_SOCKET = "/var/run/docker.sock";

/** An engine address: a unix socket, or a TCP endpoint (TLS when `tls`). */
export type EngineAddress =
  | { readonly kind: "unix"; readonly socketPath: string }
  | {
    readonly kind: "tcp";
    readonly host: string;
    readonly port: number;
    readonly tls: boolean;
  };

/**
 * Parses a `DOCKER_HOST` value like the docker CLI: `unix:///path` (a bare `unix://` means the
 * default socket), `tcp://host:port`, `http://…`, `https://…`, or `host:port`; empty or
 * undefined means {@link DEFAULT_SOCKET}. A TCP address without a port gets 2375, or 2376 with
 * TLS (`https://` or `tlsVerify`). Throws `TypeError` for schemes this plugin cannot speak
 * (`ssh://`, `npipe://`, `fd://`) and for malformed values.
 */
export function parseDockerHost(value: string | undefined, tlsVerify = false): EngineAddress {
  const text = (value ?? "").trim();
  if (text === "") return { kind: "unix", socketPath: DEFAULT_SOCKET };
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(text);
  const scheme = match ? match[1].toLowerCase() : "tcp";
  const rest = match ? match[2] : text;
  if (scheme === "unix") {
    if (rest !== "" && !rest.startsWith("/")) {
      throw new TypeError(`DOCKER_HOST "${text}": a unix socket path must be absolute`);
    }
    return { kind: "unix", socketPath: rest === "" ? DEFAULT_SOCKET : rest };
  }
  if (scheme !== "tcp" && scheme !== "http" && scheme !== "https") {
    throw new TypeError(
      `DOCKER_HOST "${text}": scheme "${scheme}" is not supported; use unix:///path or tcp://host:port`,
    );
  }
  const tls = scheme === "https" || tlsVerify;
  let url: URL;
  try {
    url = new URL(`http://${rest}`);
  } catch {
    throw new TypeError(`DOCKER_HOST "${text}": expected tcp://host:port`);
  }
  if (url.hostname === "" || (url.pathname !== "/" && url.pathname !== "")) {
    throw new TypeError(`DOCKER_HOST "${text}": expected tcp://host:port`);
  }
  const port = url.port === "" ? (tls ? 2376 : 2375) : Number(url.port);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return { kind: "tcp", host, port, tls };
}

/** Renders an address back in `DOCKER_HOST` form, e.g. `unix:///var/run/docker.sock`. */
export function formatAddress(address: EngineAddress): string {
  if (address.kind === "unix") return `unix://${address.socketPath}`;
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  return `${address.tls ? "https" : "tcp"}://${host}:${address.port}`;
}

/** Reads one environment variable; returns undefined when unset. */
export type EnvReader = (name: string) => string | undefined;

/**
 * The engine address for a plugin config: `config.host` when given, else `DOCKER_HOST` (and
 * `DOCKER_TLS_VERIFY`) from `env`, else {@link DEFAULT_SOCKET}. Throws `TypeError` for a bad
 * config or value.
 */
export function resolveEngineAddress(config: JsonObject, env: EnvReader): EngineAddress {
  for (const key of Object.keys(config)) {
    if (key !== "host") throw new TypeError(`docker plugin config: unknown key "${key}"`);
  }
  const tlsVerify = (env("DOCKER_TLS_VERIFY") ?? "") !== "";
  if (config.host !== undefined) {
    if (typeof config.host !== "string") {
      throw new TypeError(`docker plugin config: "host" must be a string`);
    }
    return parseDockerHost(config.host, tlsVerify);
  }
  return parseDockerHost(env("DOCKER_HOST"), tlsVerify);
}

/**
 * The dockerode (docker-modem) options for an address. Every connection field is set, even to
 * undefined, because docker-modem lays these over its own reading of `DOCKER_HOST`.
 *
 * No `connectionTimeout`: docker-modem clears that timer only when the answer's head arrives,
 * so it limits the whole call, and a `stop` that waits out a container's 10 s stop timeout
 * was cut off as "socket hang up". A call is bounded by the plugin's `callMs` instead.
 */
export function dockerodeOptions(address: EngineAddress): Docker.DockerOptions {
  if (address.kind === "unix") {
    return { socketPath: address.socketPath, host: undefined, port: undefined };
  }
  return {
    socketPath: undefined,
    host: address.host,
    port: address.port,
    protocol: address.tls ? "https" : "http",
  };
}

/**
 * Environment reader that never throws: a variable the Worker may not read counts as unset.
 * Sees only the variables of {@link ENGINE_ENV_NAMES} the Worker is granted.
 */
export const denoEnv: EnvReader = (name) => {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
};

/**
 * The environment variables the docker plugin reads, all optional: where the engine is, and
 * docker-modem's TLS, path-prefix and timeout settings for a TCP engine.
 */
export const ENGINE_ENV_NAMES = [
  "DOCKER_HOST",
  "DOCKER_TLS_VERIFY",
  "DOCKER_CERT_PATH",
  "DOCKER_PATH_PREFIX",
  "DOCKER_CLIENT_TIMEOUT",
] as const;

/**
 * The environment docker-modem gets to see: `DOCKER_HOST` set to the resolved `address` (so
 * its own defaults agree with {@link dockerodeOptions}), plus the other
 * {@link ENGINE_ENV_NAMES} that `env` has. Nothing else: see `loader.ts` for why.
 */
export function modemEnv(address: EngineAddress, env: EnvReader): Record<string, string> {
  const view: Record<string, string> = {};
  for (const name of ENGINE_ENV_NAMES) {
    const value = env(name);
    if (value !== undefined) view[name] = value;
  }
  view.DOCKER_HOST = formatAddress(address);
  return view;
}

export type { Docker };

/**
 * {@link Engine}: the engine's address, a dockerode client loaded on first use, and the native
 * read path (`native.ts`) for plain GETs. Every call goes through it so that failures come out
 * as {@link DockerPluginError}s, the same whichever path served them.
 *
 * @module
 */
import type { Docker, EngineAddress } from "./client.ts";
import { toPluginError } from "./errors.ts";
import { createNativeClient, type GetRequest, isPlainPath, type NativeClient } from "./native.ts";

/** Options of an {@link Engine}. */
export interface EngineOptions {
  /** Serve plain GETs without dockerode when the address allows it; true by default. */
  native?: boolean;
}

/** A Docker engine: its address, and clients for it. */
export class Engine {
  /** Where the engine is. */
  readonly address: EngineAddress;
  #load: () => Promise<Docker>;
  #docker: Promise<Docker> | undefined;
  #native: NativeClient | undefined;

  /**
   * Binds the engine at `address` to `load`, which makes its dockerode client (`createClient`
   * in loader.ts) and is called on first need only.
   */
  constructor(address: EngineAddress, load: () => Promise<Docker>, options: EngineOptions = {}) {
    this.address = address;
    this.#load = load;
    this.#native = options.native === false ? undefined : createNativeClient(address);
  }

  /**
   * The dockerode client, loaded on the first call; concurrent first calls share one load, and
   * a failed load is tried again by the next call.
   */
  client(): Promise<Docker> {
    this.#docker ??= this.#load().catch((error) => {
      this.#docker = undefined;
      throw error;
    });
    return this.#docker;
  }

  /**
   * Runs `fn` with the dockerode client; anything it throws (loading dockerode included) is
   * rethrown as a `DockerPluginError` saying `what` was being done.
   */
  async run<T>(what: string, fn: (docker: Docker) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.client());
    } catch (error) {
      throw toPluginError(error, this.address, what);
    }
  }

  /**
   * A read-only call: `request` through the native read path, or `viaDockerode` when the
   * engine is one the native path does not serve (TLS) or the path is not plain ASCII. Both give
   * the engine's JSON as dockerode returns it, and fail with the same `DockerPluginError`s.
   */
  async get<T>(
    what: string,
    request: GetRequest,
    viaDockerode: (docker: Docker) => Promise<T>,
  ): Promise<T> {
    const native = this.#native;
    if (!native || !isPlainPath(request.path)) return await this.run(what, viaDockerode);
    try {
      return await native.get(request) as T;
    } catch (error) {
      throw toPluginError(error, this.address, what);
    }
  }
}

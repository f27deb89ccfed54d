/**
 * {@link Engine}: a dockerode client bound to its address, through which every call goes so
 * that failures come out as {@link DockerPluginError}s.
 *
 * @module
 */
import type { Docker, EngineAddress } from "./client.ts";
import { toPluginError } from "./errors.ts";

/** A Docker engine: its address and a client for it. */
export class Engine {
  /** Where the engine is. */
  readonly address: EngineAddress;
  /** The dockerode client; call it through {@link Engine.run}. */
  readonly docker: Docker;

  /** Binds `docker` (made by `createClient` in loader.ts) to its `address`. */
  constructor(address: EngineAddress, docker: Docker) {
    this.address = address;
    this.docker = docker;
  }

  /**
   * Runs `fn` with the client; anything it throws is rethrown as a `DockerPluginError` saying
   * `what` was being done.
   */
  async run<T>(what: string, fn: (docker: Docker) => Promise<T>): Promise<T> {
    try {
      return await fn(this.docker);
    } catch (error) {
      throw toPluginError(error, this.address, what);
    }
  }
}

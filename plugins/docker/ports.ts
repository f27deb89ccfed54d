/**
 * Free host ports on 127.0.0.1, handed out once each.
 *
 * Needs net permission `127.0.0.1:0` (it binds port 0 and lets the kernel pick).
 *
 * @module
 */

import { DockerPluginError } from "./errors.ts";

/** The loopback address ports are allocated on. */
export const LOOPBACK = "127.0.0.1";

/**
 * Hands out free TCP ports on 127.0.0.1 and remembers them, so no two calls get the same port
 * until it is released. Each port was free when handed out; nothing holds it after.
 */
export class PortAllocator {
  readonly #given = new Set<number>();

  /** Returns `count` distinct free ports not handed out before (1 ≤ count ≤ 100). */
  allocate(count: number): number[] {
    if (!Number.isInteger(count) || count < 1 || count > 100) {
      throw new RangeError(`port count must be an integer from 1 to 100, got ${count}`);
    }
    // Keep every probe listener open until the end, so the kernel cannot give one port twice.
    const listeners: Deno.Listener[] = [];
    const ports: number[] = [];
    try {
      for (let tries = 0; ports.length < count; tries++) {
        if (tries >= count * 20) {
          throw new Error(`could not find ${count} free ports on ${LOOPBACK}`);
        }
        const listener = listen();
        listeners.push(listener);
        const port = (listener.addr as Deno.NetAddr).port;
        if (!this.#given.has(port)) ports.push(port);
      }
    } finally {
      for (const listener of listeners) listener.close();
    }
    for (const port of ports) this.#given.add(port);
    return ports;
  }

  /** Forgets `ports`, so they may be handed out again; returns how many were held. */
  release(ports: number[]): number {
    let released = 0;
    for (const port of ports) if (this.#given.delete(port)) released++;
    return released;
  }

  /** The ports handed out and not released, ascending. */
  get held(): number[] {
    return [...this.#given].sort((a, b) => a - b);
  }
}

/** Binds 127.0.0.1 port 0; a missing permission becomes an error that names it. */
function listen(): Deno.Listener {
  try {
    return Deno.listen({ hostname: LOOPBACK, port: 0 });
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw new DockerPluginError(
        "permission_denied",
        `allocating ports needs net permission "${LOOPBACK}:0": ${error.message}`,
      );
    }
    throw error;
  }
}

/**
 * Free host ports on 127.0.0.1, handed out once each.
 *
 * Needs `net` permission for 127.0.0.1 (it binds port 0 to let the kernel pick).
 *
 * @module
 */

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
        const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
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

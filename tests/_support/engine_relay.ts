/**
 * A unix-socket relay in front of the real Docker engine, for tests that need the engine to
 * misbehave: {@link EngineRelay.cut} drops every connection at once (as an engine restart does),
 * and {@link EngineRelay.holdEvents} keeps what the engine's event stream sends from reaching the
 * client until {@link EngineRelay.releaseEvents} (late events).
 *
 * @module
 */

const ENGINE_SOCKET = (Deno.env.get("DOCKER_HOST") ?? "unix:///var/run/docker.sock")
  .replace(/^unix:\/\//, "");

/** A request for the engine's event stream, as the first line of an HTTP request. */
const EVENTS_REQUEST = /^GET \S*\/events[?\s]/m;

/** A relay between a unix socket and the engine. */
export interface EngineRelay {
  /** Listens on the relay's socket. */
  start(): void;
  /** Stops listening and closes every relayed connection. */
  cut(): void;
  /** From now on, holds back what event streams send to their clients. */
  holdEvents(): void;
  /** Lets held and further events through. */
  releaseEvents(): void;
}

/** A relay listening on `path` (call `start`) to the engine `DOCKER_HOST` names. */
export function engineRelay(path: string): EngineRelay {
  let listener: Deno.UnixListener | null = null;
  const open = new Set<Deno.Conn>();
  let held: (() => void)[] | null = null;
  const gate = () => held ? new Promise<void>((go) => held!.push(go)) : undefined;

  const relay = async (client: Deno.Conn) => {
    let engine: Deno.Conn;
    try {
      engine = await Deno.connect({ transport: "unix", path: ENGINE_SOCKET });
    } catch (error) {
      client.close();
      throw error;
    }
    open.add(client).add(engine);
    let events = false;
    const up = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        if (!events) events = EVENTS_REQUEST.test(new TextDecoder().decode(chunk.subarray(0, 512)));
        out.enqueue(chunk);
      },
    });
    const down = new TransformStream<Uint8Array, Uint8Array>({
      async transform(chunk, out) {
        if (events) await gate();
        out.enqueue(chunk);
      },
    });
    const pipe = (from: ReadableStream<Uint8Array>, to: WritableStream<Uint8Array>) =>
      from.pipeTo(to).catch(() => {/* cut */});
    await Promise.all([
      pipe(client.readable.pipeThrough(up), engine.writable),
      pipe(engine.readable.pipeThrough(down), client.writable),
    ]);
    for (const conn of [client, engine]) {
      open.delete(conn);
      try {
        conn.close();
      } catch { /* closed */ }
    }
  };

  return {
    start() {
      listener = Deno.listen({ transport: "unix", path });
      void (async (l) => {
        for await (const client of l) void relay(client).catch(() => {});
      })(listener).catch(() => {});
    },
    cut() {
      listener?.close();
      listener = null;
      Deno.removeSync(path);
      for (const conn of open) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
      open.clear();
    },
    holdEvents() {
      held ??= [];
    },
    releaseEvents() {
      const waiting = held ?? [];
      held = null;
      for (const go of waiting) go();
    },
  };
}

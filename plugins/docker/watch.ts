/**
 * A live view of labelled containers for the host: every container carrying the labels is an
 * item of kind `container` (named by its id, its compact JSON view as metadata), kept current
 * from the engine's event stream, so a reader never asks the engine and never sees a change
 * made behind its back more than an event late.
 *
 * @module
 */
import type { Registry } from "../../interfaces.ts";
import { ContainerItems } from "./container_items.ts";
import { listContainers } from "./containers.ts";
import type { Engine } from "./engine.ts";

/**
 * The item the watch holds while Docker's event stream is open: readers trust the `container`
 * items only while it is there. It goes when the stream breaks (engine restarted or gone), with
 * every `container` item, and comes back once the watch has resubscribed and listed again.
 */
export const LIVE_ITEM = { kind: "container-view", name: "live" } as const;

/** How long the watch waits before resubscribing after its stream broke. */
export const RESUBSCRIBE_MS = 1000;

/** A running watch. */
export interface Watch {
  /** Labels it selects. */
  labels: Record<string, string>;
  /**
   * Brings the items up to date with the engine: waits for the refreshes events already asked
   * for, then lists once and publishes what changed. A caller that changed containers itself
   * calls it before reading the items, so it reads its own writes instead of waiting for their
   * events. Does nothing while the stream is down (the view is not live then).
   */
  sync(): Promise<void>;
  /** Stops the event stream. */
  stop(): void;
}

type EventStream = NodeJS.ReadableStream & { destroy?: () => void };

/**
 * Registers the containers carrying `labels` as items and keeps them current from the engine's
 * events: created, started, stopped, renamed and destroyed containers update at once. While the
 * event stream is open it also holds {@link LIVE_ITEM}; when the stream breaks, the items go and
 * the watch resubscribes every {@link RESUBSCRIBE_MS} until the engine answers again. The first
 * subscription's failure is thrown.
 */
export async function watchContainers(
  engine: Engine,
  registry: Registry,
  labels: Record<string, string>,
  onError: (message: string) => void,
): Promise<Watch> {
  const items = new ContainerItems(registry);
  // The engine's API takes filters as JSON text.
  const filters = JSON.stringify({
    type: ["container"],
    label: Object.entries(labels).map(([k, v]) => `${k}=${v}`),
  });
  let stream: EventStream | null = null;
  let stopped = false;
  let live = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  // One refresh at a time per container, in event order.
  const pending = new Map<string, Promise<void>>();
  const refresh = (id: string, destroyed: boolean) => {
    const previous = pending.get(id) ?? Promise.resolve();
    const next = previous.then(async () => {
      const listing = items.nextListing();
      if (destroyed) return void items.remove(id, listing);
      const [current] = await listContainers(engine, labels, true, [id]);
      if (current?.id === id) items.publish(current, listing);
      else items.remove(id, listing);
    }).catch((error) => onError(`container view: ${(error as Error).message}`))
      .finally(() => {
        if (pending.get(id) === next) pending.delete(id);
      });
    pending.set(id, next);
  };

  const goDown = () => {
    if (live) registry.unregisterItem(LIVE_ITEM.kind, LIVE_ITEM.name);
    live = false;
    items.clear();
  };

  const resubscribe = () => {
    if (stopped) return;
    retry = setTimeout(() => subscribe().catch(resubscribe), RESUBSCRIBE_MS);
  };

  const lost = (from: EventStream, why: string) => {
    if (stopped || stream !== from) return;
    stream = null;
    from.destroy?.();
    goDown();
    onError(`container events stopped (${why}): the view is not live until they resume`);
    resubscribe();
  };

  const subscribe = async () => {
    const opened = await engine.run(
      "watch container events",
      (docker) => docker.getEvents({ filters }),
    ) as EventStream;
    if (stopped) return void opened.destroy?.();
    stream = opened;
    let buffer = "";
    opened.on("data", (chunk: Uint8Array) => {
      buffer += new TextDecoder().decode(chunk);
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line) continue;
        try {
          const event = JSON.parse(line) as {
            Action?: string;
            id?: string;
            Actor?: { ID?: string };
          };
          const id = event.id ?? event.Actor?.ID;
          if (id) refresh(id, event.Action === "destroy");
        } catch { /* not an event */ }
      }
    });
    opened.on("error", (error: Error) => lost(opened, error.message));
    opened.on("end", () => lost(opened, "the engine closed the stream"));
    opened.on("close", () => lost(opened, "the connection closed"));
    // Listed after subscribing, so no change falls between the list and the first event.
    const listing = items.nextListing();
    const current = await listContainers(engine, labels);
    if (stream !== opened) return;
    items.replaceAll(current, listing);
    if (!live) registry.registerItem({ ...LIVE_ITEM, metadata: { labels } });
    live = true;
  };

  const sync = async () => {
    const open = stream;
    if (!live || !open) return;
    await Promise.all(pending.values());
    const listing = items.nextListing();
    const current = await listContainers(engine, labels);
    // A stream that broke meanwhile took the items down; its resubscription lists again.
    if (stream === open && live) items.replaceAll(current, listing);
  };

  await subscribe();
  return {
    labels,
    sync,
    stop: () => {
      stopped = true;
      clearTimeout(retry);
      const open = stream;
      stream = null;
      open?.destroy?.();
    },
  };
}

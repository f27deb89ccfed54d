/**
 * A live view of labelled containers for the host: every container carrying the labels is an
 * item of kind `container` (named by its id, its compact JSON view as metadata), kept current
 * from the engine's event stream, so a reader never asks the engine and never sees a change
 * made behind its back more than an event late.
 *
 * @module
 */
import type { JsonObject, Registry } from "../../interfaces.ts";
import { type ContainerSummary, listContainers } from "./containers.ts";
import type { Engine } from "./engine.ts";

/** The item kind the view registers. */
export const CONTAINER_ITEM = "container";

/** A running watch. */
export interface Watch {
  /** Labels it selects. */
  labels: Record<string, string>;
  /** Stops the event stream. */
  stop(): void;
}

function publish(registry: Registry, known: Set<string>, container: ContainerSummary): void {
  if (known.has(container.id)) registry.unregisterItem(CONTAINER_ITEM, container.id);
  registry.registerItem({
    kind: CONTAINER_ITEM,
    name: container.id,
    metadata: container as unknown as JsonObject,
  });
  known.add(container.id);
}

/**
 * Registers the containers carrying `labels` as items and keeps them current from the engine's
 * events: created, started, stopped, renamed and destroyed containers update at once.
 */
export async function watchContainers(
  engine: Engine,
  registry: Registry,
  labels: Record<string, string>,
  onError: (message: string) => void,
): Promise<Watch> {
  const known = new Set<string>();
  // The engine's API takes filters as JSON text.
  const filters = JSON.stringify({
    type: ["container"],
    label: Object.entries(labels).map(([k, v]) => `${k}=${v}`),
  });
  const stream = await engine.run(
    "watch container events",
    (docker) => docker.getEvents({ filters }),
  );
  for (const container of await listContainers(engine, labels)) publish(registry, known, container);

  const pending = new Map<string, Promise<void>>();
  const refresh = (id: string, destroyed: boolean) => {
    const previous = pending.get(id) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (destroyed) {
        if (known.delete(id)) registry.unregisterItem(CONTAINER_ITEM, id);
        return;
      }
      const [current] = (await listContainers(engine, labels)).filter((c) => c.id === id);
      if (current) publish(registry, known, current);
      else if (known.delete(id)) registry.unregisterItem(CONTAINER_ITEM, id);
    }).catch((error) => onError(`container view: ${(error as Error).message}`));
    pending.set(id, next);
  };

  let buffer = "";
  stream.on("data", (chunk: Uint8Array) => {
    buffer += new TextDecoder().decode(chunk);
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (!line) continue;
      try {
        const event = JSON.parse(line) as { Action?: string; id?: string; Actor?: { ID?: string } };
        const id = event.id ?? event.Actor?.ID;
        if (id) refresh(id, event.Action === "destroy");
      } catch { /* not an event */ }
    }
  });
  stream.on("error", (error: Error) => onError(`container events: ${error.message}`));
  return {
    labels,
    stop: () => (stream as unknown as { destroy?: () => void }).destroy?.(),
  };
}

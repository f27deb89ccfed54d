/**
 * The `container` items of the watch, where the newest listing wins: every look at the engine
 * takes a number when it starts, and what it saw replaces an item only if no later look has
 * already been published for that container. A container seen gone stays gone (ids are never
 * reused and labels never change), so a late answer cannot bring it back.
 *
 * @module
 */
import type { JsonObject, Registry } from "../../interfaces.ts";
import type { ContainerSummary } from "./containers.ts";

/** The item kind the view registers. */
export const CONTAINER_ITEM = "container";

/** How many removed ids are remembered to refuse late answers about them. */
const GONE_LIMIT = 10_000;

interface Published {
  /** The JSON text of the published view. */
  text: string;
  /** The number of the listing it came from. */
  listing: number;
}

/** The published `container` items of one watch. */
export class ContainerItems {
  #registry: Registry;
  #published = new Map<string, Published>();
  #gone = new Set<string>();
  #listings = 0;

  /** Publishes through `registry`. */
  constructor(registry: Registry) {
    this.#registry = registry;
  }

  /** A number for a look at the engine about to start; later looks get larger numbers. */
  nextListing(): number {
    return ++this.#listings;
  }

  /**
   * Publishes `container` as seen by `listing`, unless a later listing was already published
   * for it, it is gone, or the item already shows exactly this.
   */
  publish(container: ContainerSummary, listing: number): void {
    if (this.#gone.has(container.id)) return;
    const previous = this.#published.get(container.id);
    if (previous && previous.listing > listing) return;
    const text = JSON.stringify(container);
    if (previous?.text === text) {
      previous.listing = listing;
      return;
    }
    if (previous) this.#registry.unregisterItem(CONTAINER_ITEM, container.id);
    this.#registry.registerItem({
      kind: CONTAINER_ITEM,
      name: container.id,
      metadata: container as unknown as JsonObject,
    });
    this.#published.set(container.id, { text, listing });
  }

  /** Removes the item of container `id`, seen gone by `listing`, and keeps it gone. */
  remove(id: string, listing: number): void {
    const previous = this.#published.get(id);
    if (previous && previous.listing > listing) return;
    this.#forget(id);
    this.#gone.add(id);
    if (this.#gone.size > GONE_LIMIT) this.#gone.delete(this.#gone.values().next().value!);
  }

  /**
   * Makes the items what `listing` saw (`current`): containers it did not see are removed,
   * unless they were published from a later listing.
   */
  replaceAll(current: ContainerSummary[], listing: number): void {
    const seen = new Set(current.map((c) => c.id));
    for (const [id, published] of [...this.#published]) {
      if (!seen.has(id) && published.listing < listing) this.remove(id, listing);
    }
    for (const container of current) this.publish(container, listing);
  }

  /** Removes every item (the view went off-line); nothing is remembered as gone. */
  clear(): void {
    for (const id of [...this.#published.keys()]) this.#forget(id);
  }

  #forget(id: string): void {
    if (this.#published.delete(id)) this.#registry.unregisterItem(CONTAINER_ITEM, id);
  }
}

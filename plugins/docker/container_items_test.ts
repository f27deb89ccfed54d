import { assertEquals } from "@std/assert";
import type { ItemSpec, Registry } from "../../interfaces.ts";
import { CONTAINER_ITEM, ContainerItems } from "./container_items.ts";
import type { ContainerSummary } from "./containers.ts";

/** A registry that keeps items as the host's does and records every call. */
function recordingRegistry() {
  const items = new Map<string, ItemSpec>();
  const calls: string[] = [];
  const registry: Registry = {
    registerItem(item) {
      if (items.has(item.name)) throw new TypeError(`item ${item.name} already registered`);
      items.set(item.name, item);
      calls.push(`+${item.name}`);
    },
    unregisterItem(_kind, name) {
      calls.push(`-${name}`);
      return items.delete(name);
    },
    registerAction() {},
  };
  const states = () =>
    Object.fromEntries(
      [...items.values()].map((i) => [i.name, (i.metadata as { state: string }).state]),
    );
  return { registry, calls, states, items };
}

const container = (id: string, state: string): ContainerSummary => ({
  id,
  name: `repocate-${id}`,
  state,
  image: "busybox",
  labels: {},
  ports: [],
  created: "2026-01-01T00:00:00.000Z",
});

Deno.test("an item changes only for a later look at the engine, and not when unchanged", () => {
  const { registry, calls, states, items } = recordingRegistry();
  const view = new ContainerItems(registry);
  const early = view.nextListing();
  const late = view.nextListing();
  view.publish(container("a", "exited"), late);
  view.publish(container("a", "running"), early);
  assertEquals(states(), { a: "exited" }, "the earlier look, answered last, does not win");
  view.publish(container("a", "exited"), view.nextListing());
  assertEquals(calls, ["+a"], "the same view is not published again");
  view.publish(container("a", "running"), view.nextListing());
  assertEquals(states(), { a: "running" });
  assertEquals(items.get("a")?.kind, CONTAINER_ITEM);
});

Deno.test("a container seen gone stays gone, even when an earlier look answers later", () => {
  const { registry, states } = recordingRegistry();
  const view = new ContainerItems(registry);
  const early = view.nextListing();
  view.publish(container("a", "running"), early);
  const removal = view.nextListing();
  view.remove("a", removal);
  view.publish(container("a", "running"), early);
  view.publish(container("a", "running"), view.nextListing());
  assertEquals(states(), {});
});

Deno.test("replaceAll keeps what a later look published and drops what this look missed", () => {
  const { registry, states } = recordingRegistry();
  const view = new ContainerItems(registry);
  view.publish(container("old", "running"), view.nextListing());
  const listing = view.nextListing();
  // Made after `listing` looked, and published by its own event's look before it answered.
  view.publish(container("new", "created"), view.nextListing());
  view.replaceAll([container("kept", "exited")], listing);
  assertEquals(states(), { kept: "exited", new: "created" });
});

Deno.test("clear takes every item down without remembering them as gone", () => {
  const { registry, states } = recordingRegistry();
  const view = new ContainerItems(registry);
  view.publish(container("a", "running"), view.nextListing());
  view.clear();
  assertEquals(states(), {});
  view.publish(container("a", "running"), view.nextListing());
  assertEquals(states(), { a: "running" });
});

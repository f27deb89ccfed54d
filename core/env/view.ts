/**
 * A live view of the environments for a long-running service: the docker plugin keeps every
 * repocate container as a `container` item, current from the engine's events
 * (`docker.container.watch`), so listing reads memory instead of asking the engine, and a change
 * made behind repocate's back shows as soon as its event arrives.
 *
 * @module
 */
import type { Registry } from "../../registry/mod.ts";
import { type Environment, environmentsFrom } from "./environments.ts";
import { MANAGED } from "./labels.ts";
import type { ContainerSummary, Services } from "./services.ts";
import type { EnvSettings } from "./settings.ts";

const WATCH = "docker.container.watch";
/** How long a computed list may serve when no container event arrived. */
const MAX_AGE_MS = 1000;

/** Environments read from the registry's `container` items. */
export class EnvironmentView {
  #registry: Registry;
  #settings: EnvSettings;
  #cached: Promise<Environment[]> | null = null;
  #cachedAt = 0;

  private constructor(registry: Registry, settings: EnvSettings) {
    this.#registry = registry;
    this.#settings = settings;
    // Any change of a container item invalidates the list at once.
    registry.subscribe((event) => {
      if ("item" in event && event.item.kind === "container") this.#cached = null;
    });
  }

  /** Starts the docker plugin's watch; `null` when the plugin cannot (the caller asks instead). */
  static async start(
    services: Services,
    registry: Registry,
    settings: EnvSettings,
  ): Promise<EnvironmentView | null> {
    if (!services.has(WATCH)) return null;
    try {
      await registry.invoke(WATCH, { labels: MANAGED });
    } catch {
      return null;
    }
    return new EnvironmentView(registry, settings);
  }

  /** Whether the view is still fed (its plugin is loaded). */
  get live(): boolean {
    return this.#registry.getAction(WATCH) !== undefined;
  }

  /**
   * The environments as the latest events left them. Recomputed after any container event, and
   * at least once a second for workspaces whose container is gone.
   */
  list(): Promise<Environment[]> {
    if (this.#cached && performance.now() - this.#cachedAt < MAX_AGE_MS) return this.#cached;
    this.#cachedAt = performance.now();
    const computing = this.#compute();
    computing.catch(() => {
      if (this.#cached === computing) this.#cached = null;
    });
    return this.#cached = computing;
  }

  #compute(): Promise<Environment[]> {
    const containers = this.#registry.listItems("container")
      .filter((item) => item.owner === this.#registry.getAction(WATCH)?.owner)
      .map((item) => item.metadata as unknown as ContainerSummary);
    return environmentsFrom(containers, this.#settings);
  }
}

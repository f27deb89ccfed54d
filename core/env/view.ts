/**
 * A live view of the environments for a long-running service: the docker plugin keeps every
 * repocate container as a `container` item, current from the engine's events
 * (`docker.container.watch`), so listing reads memory instead of asking the engine, and a change
 * made behind repocate's back shows as soon as its event arrives.
 *
 * The list is computed once per change and kept with its JSON text and a strong entity tag
 * ({@link ViewSnapshot}), so a service answers a listing without serializing it again and can
 * answer `304 Not Modified` to a client that already has it.
 *
 * @module
 */
import type { Registry, RegistryEvent } from "../../registry/mod.ts";
import { type Environment, environmentsFrom } from "./environments.ts";
import { MANAGED } from "./labels.ts";
import type { ContainerSummary, Services } from "./services.ts";
import type { EnvSettings } from "./settings.ts";

const WATCH = "docker.container.watch";
/** The item the docker plugin's watch holds while its event stream is open. */
const LIVE_KIND = "container-view";
const LIVE_NAME = "live";
/** How long a computed list may serve when no container event arrived. */
const MAX_AGE_MS = 1000;
/** From this age on, the next list is computed in the background (see `current`). */
const REFRESH_AFTER_MS = 750;

/** The environments at one moment, with their JSON text and its entity tag. */
export interface ViewSnapshot {
  /** The environments, sorted by name; shared by every reader, so never to be changed. */
  readonly environments: Environment[];
  /** `JSON.stringify(environments)`. */
  readonly json: string;
  /**
   * A strong entity tag (quoted) of {@link json}: the same tag always means the same text, and
   * a changed text always gets a new tag.
   */
  readonly etag: string;
}

/** One computation of the list: what it saw and when it started. */
interface Computation {
  /** The change count when it started. */
  changes: number;
  /** `performance.now()` when it started. */
  at: number;
  /** Its result. */
  promise: Promise<ViewSnapshot>;
  /** Its result once there. */
  snapshot?: ViewSnapshot;
}

/** Environments read from the registry's `container` items. */
export class EnvironmentView {
  #registry: Registry;
  #settings: EnvSettings;
  /** Bumped by every change that may alter the list. */
  #changes = 0;
  /** The computation whose snapshot serves while it is fresh (or which readers await). */
  #latest: Computation | null = null;
  /** A computation started in the background to take over from {@link #latest}. */
  #refresh: Computation | null = null;
  /** The newest snapshot that finished, and its tag's version. */
  #done: ViewSnapshot | null = null;
  #version = 0;
  /** Tags of this view begin with it, so a tag of another server process never matches. */
  #tagPrefix = crypto.randomUUID().slice(0, 8);
  /** The plugin that owns the watch action while the watch runs, else null. */
  #owner: string | null;

  private constructor(registry: Registry, settings: EnvSettings, owner: string) {
    this.#registry = registry;
    this.#settings = settings;
    this.#owner = owner;
    registry.subscribe((event) => this.#onEvent(event));
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
    const owner = registry.getAction(WATCH)?.owner;
    return owner === undefined ? null : new EnvironmentView(registry, settings, owner);
  }

  #onEvent(event: RegistryEvent): void {
    if ("item" in event) {
      // Any change of a container item, or of the watch's liveness, invalidates the list at once.
      if (event.item.kind === "container" || event.item.kind === LIVE_KIND) this.#changes++;
      return;
    }
    if (event.action.name !== WATCH) return;
    this.#changes++;
    this.#owner = null;
    if (event.type === "action-added") {
      // A reloaded docker plugin starts without a watch: the view is not fed (callers ask the
      // engine) until the new plugin's watch runs.
      const owner = event.action.owner;
      queueMicrotask(() => {
        this.#registry.invoke(WATCH, { labels: MANAGED }).then(() => {
          if (this.#registry.getAction(WATCH)?.owner === owner) {
            this.#owner = owner;
            this.#changes++;
          }
        }, () => {});
      });
    }
  }

  /**
   * Whether the view is fed: the docker plugin is loaded, its watch runs, and the watch's event
   * stream is open (it holds the `container-view` item `live`; an engine restart breaks the stream
   * until the watch resubscribes).
   */
  get live(): boolean {
    return this.#owner !== null &&
      this.#registry.getItem(LIVE_KIND, LIVE_NAME)?.owner === this.#owner;
  }

  /**
   * Brings the view up to date with the engine: the docker plugin's watch publishes what
   * changed since its last event before this returns. Called after this service changed
   * containers, so a client told that a change is done lists it, instead of whatever the
   * change's events had reached. Does nothing when the view is not live; never throws (a watch
   * that fails takes the view off-line itself).
   */
  async sync(): Promise<void> {
    if (!this.live) return;
    await this.#registry.invoke(WATCH, { labels: MANAGED }).catch(() => {});
  }

  /**
   * The snapshot if a fresh one is at hand (computed after the latest container event, less
   * than a second ago), else null: then {@link snapshot} computes one. Once the snapshot is
   * 3/4 of a second old, a new one is computed in the background, so that readers
   * rarely wait for the once-a-second recomputation.
   */
  current(): ViewSnapshot | null {
    const latest = this.#latest;
    if (!latest?.snapshot || latest.changes !== this.#changes) return null;
    const age = performance.now() - latest.at;
    if (age >= MAX_AGE_MS) return null;
    if (age >= REFRESH_AFTER_MS && this.#refresh === null) this.#startRefresh();
    return latest.snapshot;
  }

  /**
   * The environments as the latest events left them, with their JSON text and tag. Recomputed
   * after any container event, and at least once a second for workspaces whose container is
   * gone.
   */
  snapshot(): Promise<ViewSnapshot> {
    const now = performance.now();
    for (const computation of [this.#latest, this.#refresh]) {
      if (computation?.changes === this.#changes && now - computation.at < MAX_AGE_MS) {
        return computation.promise;
      }
    }
    const computation = this.#computation(now);
    computation.promise.catch(() => {
      if (this.#latest === computation) this.#latest = null;
    });
    this.#latest = computation;
    return computation.promise;
  }

  /** Computes the next snapshot while the present one still serves; it serves once done. */
  #startRefresh(): void {
    const computation = this.#computation(performance.now());
    this.#refresh = computation;
    computation.promise.then(() => {
      if (this.#refresh !== computation) return;
      this.#refresh = null;
      if (!this.#latest || this.#latest.at < computation.at) this.#latest = computation;
    }, () => {
      if (this.#refresh === computation) this.#refresh = null;
    });
  }

  /** Starts computing the list as the registry holds it now. */
  #computation(now: number): Computation {
    const computation: Computation = {
      changes: this.#changes,
      at: now,
      promise: this.#compute().then((environments) => {
        const snapshot = this.#snapshotOf(environments);
        computation.snapshot = snapshot;
        return snapshot;
      }),
    };
    return computation;
  }

  /** The environments as the latest events left them (see {@link snapshot}). */
  async list(): Promise<Environment[]> {
    return (this.current() ?? await this.snapshot()).environments;
  }

  /** Serializes `environments`; keeps the previous tag when the text did not change. */
  #snapshotOf(environments: Environment[]): ViewSnapshot {
    const json = JSON.stringify(environments);
    const previous = this.#done;
    if (previous && previous.json === json) {
      if (previous.environments === environments) return previous;
      return this.#done = { environments, json, etag: previous.etag };
    }
    this.#version++;
    return this.#done = { environments, json, etag: `"${this.#tagPrefix}-${this.#version}"` };
  }

  #compute(): Promise<Environment[]> {
    const owner = this.#owner;
    const containers = this.#registry.listItems("container")
      .filter((item) => item.owner === owner)
      .map((item) => item.metadata as unknown as ContainerSummary);
    return environmentsFrom(containers, this.#settings);
  }
}

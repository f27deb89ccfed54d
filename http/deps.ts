/**
 * What the HTTP app is built from: the same runtime, settings and core the CLI uses, plus the
 * service's own operation store, metrics and security settings.
 *
 * @module
 */
import type { Runtime } from "../core/runtime.ts";
import type { OperationStore } from "../core/operations.ts";
import type { EnvSettings } from "../core/env/settings.ts";
import { Services } from "../core/env/services.ts";
import { type Environment, listEnvironments } from "../core/env/environments.ts";
import type { EnvironmentView, ViewSnapshot } from "../core/env/view.ts";
import type { Metrics } from "./metrics.ts";

/** The inputs of `createApp`. */
export interface AppDeps {
  /** The loaded runtime (manifest, registry, plugin host). */
  runtime: Runtime;
  /** Where environments live. */
  settings: EnvSettings;
  /** Where long operations run and are recorded. */
  operations: OperationStore;
  /** The bearer token every route but `/healthz` and the UI needs, or null for none. */
  auth: { token: string | null };
  /** Browser origins allowed by CORS (none: CORS off). */
  corsOrigins?: string[];
  /** Host names accepted in `Host` (null: any; set it for a loopback bind). */
  allowedHosts?: readonly string[] | null;
  /** Largest request body in bytes (default 64 KiB). */
  bodyLimit?: number;
  /** Folder of the static UI (default `http/ui` beside this file). */
  uiDir?: string;
  /** Aborted when the server shuts down: event streams end. */
  shutdown?: AbortSignal;
  /** Where internal error details are logged (default stderr). */
  log?: (line: string) => void;
  /** Metrics to record into (default: a fresh set). */
  metrics?: Metrics;
  /** A live view of the environments (default: ask the engine on every request). */
  view?: EnvironmentView | null;
}

/** The dependencies with defaults filled in, as routes receive them. */
export interface Ctx {
  /** The loaded runtime. */
  runtime: Runtime;
  /** Where environments live. */
  settings: EnvSettings;
  /** Where long operations run. */
  operations: OperationStore;
  /** Typed registry calls for the core's lifecycle functions. */
  services: Services;
  /** The environments now: from the live view when it is fed, else from the engine. */
  environments(): Promise<Environment[]>;
  /**
   * The environments now as JSON text: the live view's kept text and tag (synchronously when
   * it is fresh), else serialized from the engine's answer, without a tag.
   */
  listing(): Listing | Promise<Listing>;
  /**
   * Runs `change` (anything that changes containers), then brings the live view up to date,
   * also when it failed: a client told the change ended lists what it did.
   */
  changing<T>(change: () => Promise<T>): Promise<T>;
  /** Metrics. */
  metrics: Metrics;
  /** Aborted at shutdown. */
  shutdown: AbortSignal;
  /** Server log. */
  log: (line: string) => void;
  /** Static UI folder. */
  uiDir: string;
  /** Serializes changes to the manifest and the set of loaded plugins. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Whether CORS is on: its middleware adds headers to the response the route builds through
   * the context, so a route must not make its own `Response`.
   */
  cors: boolean;
}

/** The environment list as JSON text, and its strong entity tag when it has one. */
export type Listing = Pick<ViewSnapshot, "json"> & { etag: string | null };

/** A function that runs calls one after another. */
export function serializer(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}

/** Makes the routes' context from `deps` (defaults filled). */
export function contextOf(deps: AppDeps, metrics: Metrics, uiDir: string): Ctx {
  const services = new Services(deps.runtime.registry);
  const view = deps.view ?? null;
  return {
    runtime: deps.runtime,
    settings: deps.settings,
    operations: deps.operations,
    services,
    environments: () => view?.live ? view.list() : listEnvironments(services, deps.settings),
    listing: () =>
      view?.live
        ? view.current() ?? view.snapshot()
        : listEnvironments(services, deps.settings).then((list) => ({
          json: JSON.stringify(list),
          etag: null,
        })),
    changing: async (change) => {
      try {
        return await change();
      } finally {
        await view?.sync();
      }
    },
    metrics,
    shutdown: deps.shutdown ?? new AbortController().signal,
    log: deps.log ?? ((line) => console.error(line)),
    uiDir,
    exclusive: serializer(),
    cors: (deps.corsOrigins ?? []).length > 0,
  };
}

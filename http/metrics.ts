/**
 * Prometheus metrics in the text exposition format (0.0.4): counters and a latency histogram
 * of HTTP requests by route pattern (never by raw path, so ids do not multiply series), calls
 * of registry actions by outcome (from the CLI-shared core as much as from the API), and
 * gauges of operations, plugins and environments by state, taken at scrape time.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { Registry } from "../registry/mod.ts";

/** Upper bounds (seconds) of the request duration histogram's buckets. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface Histogram {
  /** Observations per bucket (not cumulative); the last one is `+Inf`. */
  counts: number[];
  sum: number;
  count: number;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labels(pairs: Record<string, string>): string {
  const inner = Object.entries(pairs).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",");
  return inner ? `{${inner}}` : "";
}

/** Index of the first bucket holding `seconds` (`DURATION_BUCKETS.length` for `+Inf`). */
function bucketOf(seconds: number): number {
  let i = 0;
  while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]) i++;
  return i;
}

/** Series of one method and route: requests by status and the duration histogram. */
interface RouteSeries {
  method: string;
  route: string;
  statuses: Map<number, number>;
  durations: Histogram;
}

/** Gauges read at scrape time; `environments` is null when Docker could not be asked. */
export interface Gauges {
  /** Operations by state. */
  operations: Record<string, number>;
  /** Plugins of the manifest by state. */
  plugins: Record<string, number>;
  /** Environments by state, or null. */
  environments: Record<string, number> | null;
}

/** Collected counters and histograms of one server. */
export class Metrics {
  /** By method, then route: kept apart so recording a request makes no key. */
  #routes = new Map<string, Map<string, RouteSeries>>();
  #actions = new Map<string, number>();

  /** Counts one request and records its duration. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    let byRoute = this.#routes.get(method);
    if (!byRoute) this.#routes.set(method, byRoute = new Map());
    let series = byRoute.get(route);
    if (!series) {
      const counts = new Array<number>(DURATION_BUCKETS.length + 1).fill(0);
      series = { method, route, statuses: new Map(), durations: { counts, sum: 0, count: 0 } };
      byRoute.set(route, series);
    }
    series.statuses.set(status, (series.statuses.get(status) ?? 0) + 1);
    const h = series.durations;
    h.counts[bucketOf(seconds)]++;
    h.sum += seconds;
    h.count++;
  }

  /** Counts one action call: outcome `ok` or `error`. */
  observeAction(action: string, outcome: "ok" | "error"): void {
    const key = JSON.stringify([action, outcome]);
    this.#actions.set(key, (this.#actions.get(key) ?? 0) + 1);
  }

  /** The exposition text. */
  render(gauges: Gauges): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string) =>
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    const series = [...this.#routes.values()].flatMap((byRoute) => [...byRoute.values()]);
    family("repocate_http_requests_total", "counter", "HTTP requests by method, route, status.");
    for (const { method, route, statuses } of series) {
      for (const [code, n] of statuses) {
        const status = String(code);
        out.push(`repocate_http_requests_total${labels({ method, route, status })} ${n}`);
      }
    }
    const d = "repocate_http_request_duration_seconds";
    family(d, "histogram", "HTTP request duration in seconds by method and route.");
    for (const { method, route, durations: h } of series) {
      let cumulative = 0;
      DURATION_BUCKETS.forEach((bound, i) => {
        cumulative += h.counts[i];
        out.push(`${d}_bucket${labels({ method, route, le: String(bound) })} ${cumulative}`);
      });
      out.push(`${d}_bucket${labels({ method, route, le: "+Inf" })} ${h.count}`);
      out.push(`${d}_sum${labels({ method, route })} ${h.sum}`);
      out.push(`${d}_count${labels({ method, route })} ${h.count}`);
    }
    family("repocate_action_calls_total", "counter", "Registry action calls by outcome.");
    for (const [key, n] of this.#actions) {
      const [action, outcome] = JSON.parse(key);
      out.push(`repocate_action_calls_total${labels({ action, outcome })} ${n}`);
    }
    const gauge = (name: string, help: string, values: Record<string, number>) => {
      family(name, "gauge", help);
      for (const [state, n] of Object.entries(values)) out.push(`${name}${labels({ state })} ${n}`);
    };
    gauge("repocate_operations", "Operations kept by the server, by state.", gauges.operations);
    gauge("repocate_plugins", "Plugins of the manifest by state.", gauges.plugins);
    if (gauges.environments) {
      gauge("repocate_environments", "Environments by container state.", gauges.environments);
    }
    return out.join("\n") + "\n";
  }
}

/** Records every request in `metrics`, labelled by its route pattern (`unmatched` for 404s). */
export function metricsMiddleware(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      const matched = matchedRoutes(c)[c.req.routeIndex];
      const route = matched && matched.method !== "ALL" ? matched.path : "unmatched";
      metrics.observeRequest(c.req.method, route, c.res.status, (performance.now() - start) / 1e3);
    }
  };
}

const INSTRUMENTED = Symbol("repocate.metrics");

/**
 * Counts every `registry.invoke` of a registered action in `metrics`, whoever calls it. Wraps
 * the method on this instance only; a second call on the same registry does nothing.
 */
export function instrumentRegistry(registry: Registry, metrics: Metrics): void {
  const marked = registry as Registry & { [INSTRUMENTED]?: boolean };
  if (marked[INSTRUMENTED]) return;
  marked[INSTRUMENTED] = true;
  const invoke = registry.invoke.bind(registry);
  registry.invoke = async (name, input, options) => {
    const known = registry.getAction(name) !== undefined;
    try {
      const result = await invoke(name, input, options);
      if (known) metrics.observeAction(name, "ok");
      return result;
    } catch (error) {
      if (known) metrics.observeAction(name, "error");
      throw error;
    }
  };
}

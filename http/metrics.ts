/**
 * Prometheus metrics in the text exposition format (0.0.4): counters and a latency histogram
 * of HTTP requests by route pattern (never by raw path, so ids do not multiply series), calls
 * of registry actions by outcome (from the CLI-shared core as much as from the API), and
 * gauges of operations, plugins and environments by state, taken at scrape time.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { matchedRoutes, routePath } from "hono/route";
import type { Registry } from "../registry/mod.ts";

/** Upper bounds (seconds) of the request duration histogram's buckets. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface Histogram {
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
  #requests = new Map<string, number>();
  #durations = new Map<string, Histogram>();
  #actions = new Map<string, number>();

  /** Counts one request and records its duration. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = JSON.stringify([method, route, String(status)]);
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    const hKey = JSON.stringify([method, route]);
    const h = this.#durations.get(hKey) ??
      { counts: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 };
    DURATION_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) h.counts[i]++;
    });
    h.sum += seconds;
    h.count++;
    this.#durations.set(hKey, h);
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
    family("repocate_http_requests_total", "counter", "HTTP requests by method, route, status.");
    for (const [key, n] of this.#requests) {
      const [method, route, status] = JSON.parse(key);
      out.push(`repocate_http_requests_total${labels({ method, route, status })} ${n}`);
    }
    const d = "repocate_http_request_duration_seconds";
    family(d, "histogram", "HTTP request duration in seconds by method and route.");
    for (const [key, h] of this.#durations) {
      const [method, route] = JSON.parse(key);
      DURATION_BUCKETS.forEach((bound, i) => {
        out.push(`${d}_bucket${labels({ method, route, le: String(bound) })} ${h.counts[i]}`);
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
      const matched = matchedRoutes(c).at(c.req.routeIndex);
      const route = matched && matched.method !== "ALL" ? routePath(c) : "unmatched";
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

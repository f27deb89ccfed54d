/**
 * Checks on what a plugin's Worker sends. The plugin's own code runs in the same isolate as the
 * protocol side (worker_entry.ts) and can post anything, so the host trusts no message's shape
 * or size: registrations are bounded, malformed messages stop the plugin, and log lines are
 * rate-limited so a flooding plugin cannot drown the host.
 *
 * @module
 */

/** Most actions one plugin may register. */
export const MAX_ACTIONS = 1000;
/** Most items one plugin may register at once. */
export const MAX_ITEMS = 10_000;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Whether `data` looks like a protocol message at all (an object with a string `t`). */
export function isMessage(data: unknown): data is { t: string } {
  return isObject(data) && typeof data.t === "string";
}

/** Faults of a registration (`ready` or `register`), or `null` when it is acceptable. */
export function registrationFault(items: unknown, actions: unknown = []): string | null {
  if (!Array.isArray(items) || !Array.isArray(actions)) return "items and actions must be lists";
  if (actions.length > MAX_ACTIONS) {
    return `it registered ${actions.length} actions (at most ${MAX_ACTIONS})`;
  }
  if (items.length > MAX_ITEMS) return `it registered ${items.length} items (at most ${MAX_ITEMS})`;
  for (const item of items) {
    if (!isObject(item) || typeof item.kind !== "string" || typeof item.name !== "string") {
      return "an item lacks a string kind and name";
    }
    if (item.metadata !== undefined && !isObject(item.metadata)) {
      return `item "${item.name}" has non-object metadata`;
    }
  }
  for (const action of actions) {
    if (!isObject(action) || typeof action.name !== "string") {
      return "an action lacks a string name";
    }
    if (typeof action.description !== "string") {
      return `action "${action.name}" lacks a description`;
    }
    if (!isObject(action.inputSchema) && typeof action.inputSchema !== "boolean") {
      return `action "${action.name}" has no JSON Schema object`;
    }
  }
  return null;
}

/**
 * A token bucket for log lines: `burst` at once, then `perSecond`. Dropped lines are counted
 * and reported by {@link LogLimiter.takeDropped}.
 */
export class LogLimiter {
  #tokens: number;
  #last: number;
  #dropped = 0;

  /** A limiter allowing `burst` lines at once and `perSecond` after. */
  constructor(readonly burst = 200, readonly perSecond = 100) {
    this.#tokens = burst;
    this.#last = performance.now();
  }

  /** Whether one more line may pass now. */
  allow(now = performance.now()): boolean {
    this.#tokens = Math.min(
      this.burst,
      this.#tokens + ((now - this.#last) / 1000) * this.perSecond,
    );
    this.#last = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    this.#dropped++;
    return false;
  }

  /** Lines dropped since the last call. */
  takeDropped(): number {
    const n = this.#dropped;
    this.#dropped = 0;
    return n;
  }
}

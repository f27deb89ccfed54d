/**
 * Long-running work the service starts and reports on: an in-memory store of operations. Each
 * gets an id at once; its function runs in the background (at most `concurrency` at a time, and
 * never beside a running operation that shares one of its `lanes`; the rest wait as `queued`,
 * first come first served), its progress lines are kept with timestamps, and it ends `succeeded`
 * with a result or `failed` with `{ code, message }`. Listeners see every event live, and may
 * have the past replayed first. Only the newest `limit` finished operations are kept.
 *
 * Nothing here knows what an operation does: the HTTP layer passes core calls in.
 *
 * @module
 */
import type { JsonValue } from "../interfaces.ts";
import { messageOf, RepocateError } from "../errors.ts";

/** Where an operation is in its life. */
export type OperationState = "queued" | "running" | "succeeded" | "failed";

/** A failure as data: a stable code and a one-line message, never a stack. */
export interface OperationError {
  /** The {@link RepocateError} code, or `INTERNAL` for anything else. */
  code: string;
  /** One line. */
  message: string;
}

/** One progress line. */
export interface ProgressLine {
  /** ISO time it was reported. */
  at: string;
  /** The line. */
  message: string;
}

/** A copy of an operation's record. */
export interface OperationRecord {
  /** Random UUID. */
  id: string;
  /** What it does, e.g. `environment.create`. */
  kind: string;
  /** What it acts on, e.g. an environment name or a repository. */
  target: string;
  /** Its state. */
  state: OperationState;
  /** Progress so far (the newest {@link MAX_PROGRESS_LINES} lines). */
  progress: ProgressLine[];
  /** How many early progress lines were dropped to keep the record bounded. */
  droppedProgress: number;
  /** The result, once `succeeded`. */
  result?: JsonValue;
  /** The failure, once `failed`. */
  error?: OperationError;
  /** ISO time it was accepted. */
  createdAt: string;
  /** ISO time it began to run. */
  startedAt?: string;
  /** ISO time it ended. */
  finishedAt?: string;
}

/** What a listener receives: a progress line, or the end (`done` or `failed`). */
export type OperationEvent =
  | { seq: number; type: "progress"; at: string; message: string }
  | { seq: number; type: "done"; at: string; result: JsonValue }
  | { seq: number; type: "failed"; at: string; error: OperationError };

type Unsequenced<T> = T extends unknown ? Omit<T, "seq"> : never;

/** The work of an operation: reports progress, resolves to a JSON result. */
export type OperationFn = (progress: (message: string) => void) => Promise<JsonValue>;

/** Progress lines kept per operation; older ones are dropped (and counted). */
export const MAX_PROGRESS_LINES = 2000;

/** Options of an {@link OperationStore}. */
export interface OperationStoreOptions {
  /** Finished operations kept (default 200); running and queued ones are always kept. */
  limit?: number;
  /** Operations running at once (default 8); the rest wait as `queued`. */
  concurrency?: number;
  /** Clock, for tests. */
  now?: () => Date;
  /** Receives the detail of failures that are not {@link RepocateError}s. */
  onInternalError?: (operation: OperationRecord, error: unknown) => void;
}

interface Entry {
  record: OperationRecord;
  lanes: string[];
  fn: OperationFn;
  events: OperationEvent[];
  seq: number;
  listeners: Set<(event: OperationEvent) => void>;
  settled: Promise<OperationRecord>;
  settle: (record: OperationRecord) => void;
}

function copy(record: OperationRecord): OperationRecord {
  return structuredClone(record);
}

/** Turns any thrown value into {@link OperationError} data. */
export function errorData(error: unknown): OperationError {
  return error instanceof RepocateError
    ? { code: error.code, message: messageOf(error) }
    : { code: "INTERNAL", message: "internal error; the server's log has the detail" };
}

/** An in-memory store of operations; see the module doc. */
export class OperationStore {
  #entries = new Map<string, Entry>();
  #queue: Entry[] = [];
  #running = 0;
  #limit: number;
  #concurrency: number;
  #now: () => Date;
  #onInternalError?: OperationStoreOptions["onInternalError"];

  /** A store with `options`. */
  constructor(options: OperationStoreOptions = {}) {
    this.#limit = options.limit ?? 200;
    this.#concurrency = options.concurrency ?? 8;
    this.#now = options.now ?? (() => new Date());
    this.#onInternalError = options.onInternalError;
    if (!(this.#limit >= 1) || !(this.#concurrency >= 1)) {
      throw new RangeError("OperationStore: limit and concurrency must be at least 1");
    }
  }

  /**
   * Accepts `fn` as an operation and returns its record at once; `fn` runs in the background.
   * Operations that share a name in `options.lanes` run one after another, in the order given.
   */
  start(
    kind: string,
    target: string,
    fn: OperationFn,
    options: { lanes?: string[] } = {},
  ): OperationRecord {
    let settle!: (record: OperationRecord) => void;
    const settled = new Promise<OperationRecord>((resolve) => settle = resolve);
    const entry: Entry = {
      record: {
        id: crypto.randomUUID(),
        kind,
        target,
        state: "queued",
        progress: [],
        droppedProgress: 0,
        createdAt: this.#now().toISOString(),
      },
      fn,
      lanes: options.lanes ?? [],
      events: [],
      seq: 0,
      listeners: new Set(),
      settled,
      settle,
    };
    this.#entries.set(entry.record.id, entry);
    this.#queue.push(entry);
    queueMicrotask(() => this.#pump());
    return copy(entry.record);
  }

  /** A copy of one operation, or `undefined`. */
  get(id: string): OperationRecord | undefined {
    const entry = this.#entries.get(id);
    return entry && copy(entry.record);
  }

  /** Copies of every kept operation, newest first. */
  list(): OperationRecord[] {
    return [...this.#entries.values()].reverse().map((e) => copy(e.record));
  }

  /** How many operations are in each state. */
  counts(): Record<OperationState, number> {
    const counts = { queued: 0, running: 0, succeeded: 0, failed: 0 };
    for (const { record } of this.#entries.values()) counts[record.state]++;
    return counts;
  }

  /**
   * Calls `listener` with each new event of operation `id` until the returned function is
   * called; with `replay`, first (synchronously) with every past event, so nothing is missed or
   * repeated. Returns `undefined` when there is no such operation.
   */
  subscribe(
    id: string,
    listener: (event: OperationEvent) => void,
    options: { replay?: boolean } = {},
  ): (() => void) | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (options.replay) { for (const event of entry.events) listener(event); }
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  /** Resolves with the record once operation `id` has ended; `undefined` when unknown. */
  settled(id: string): Promise<OperationRecord> | undefined {
    return this.#entries.get(id)?.settled;
  }

  /** Resolves once every operation accepted so far has ended, or after `timeoutMs`. */
  async drain(timeoutMs = Infinity): Promise<boolean> {
    const pending = [...this.#entries.values()]
      .filter((e) => e.record.state === "queued" || e.record.state === "running")
      .map((e) => e.settled);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => {
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([Promise.all(pending).then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The first queued entry whose lanes no running or earlier queued entry holds. */
  #next(): Entry | undefined {
    const held = new Set<string>();
    for (const e of this.#entries.values()) {
      if (e.record.state === "running") { for (const lane of e.lanes) held.add(lane); }
    }
    for (const [i, entry] of this.#queue.entries()) {
      if (entry.lanes.every((lane) => !held.has(lane))) return this.#queue.splice(i, 1)[0];
      for (const lane of entry.lanes) held.add(lane);
    }
    return undefined;
  }

  #pump(): void {
    while (this.#running < this.#concurrency) {
      const entry = this.#next();
      if (!entry) return;
      entry.record.state = "running";
      this.#running++;
      this.#run(entry).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
  }

  async #run(entry: Entry): Promise<void> {
    const { record } = entry;
    record.startedAt = this.#now().toISOString();
    const progress = (message: string) => {
      if (record.finishedAt) return;
      const line = { at: this.#now().toISOString(), message: String(message) };
      record.progress.push(line);
      if (record.progress.length > MAX_PROGRESS_LINES) {
        record.progress.shift();
        record.droppedProgress++;
      }
      this.#emit(entry, { type: "progress", ...line });
    };
    try {
      const result = await entry.fn(progress);
      record.result = result === undefined ? null : result;
      record.state = "succeeded";
      record.finishedAt = this.#now().toISOString();
      this.#emit(entry, { type: "done", at: record.finishedAt, result: record.result });
    } catch (error) {
      record.error = errorData(error);
      if (!(error instanceof RepocateError)) this.#onInternalError?.(copy(record), error);
      record.state = "failed";
      record.finishedAt = this.#now().toISOString();
      this.#emit(entry, { type: "failed", at: record.finishedAt, error: record.error });
    }
    entry.listeners.clear();
    entry.settle(copy(record));
    this.#evict();
  }

  #emit(entry: Entry, event: Unsequenced<OperationEvent>): void {
    const full = { ...event, seq: ++entry.seq } as OperationEvent;
    entry.events.push(full);
    if (entry.events.length > MAX_PROGRESS_LINES + 1) entry.events.splice(0, 1);
    for (const listener of [...entry.listeners]) {
      try {
        listener(full);
      } catch {
        // One failing listener must not stop the operation or the others.
      }
    }
  }

  #evict(): void {
    const finished = [...this.#entries.values()].filter((e) => e.record.finishedAt);
    for (const entry of finished.slice(0, Math.max(0, finished.length - this.#limit))) {
      this.#entries.delete(entry.record.id);
    }
  }
}

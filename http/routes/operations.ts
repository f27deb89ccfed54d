/**
 * `/v1/operations`: what the server ran or is running, and a Server-Sent Events stream of one
 * operation. The stream replays the past (after `Last-Event-ID`, when given), then follows
 * live: `event: progress` for each line, then `event: done` (with the result) or
 * `event: failed` (with `{ code, message }`), and closes. Each event's `data` is the JSON event
 * and its `id` its sequence number. A comment line every 15 s keeps idle proxies from closing
 * the stream.
 *
 * @module
 */
import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { RepocateError } from "../../errors.ts";
import type { OperationEvent, OperationRecord } from "../../core/operations.ts";
import type { Ctx } from "../deps.ts";

/** Idle time after which the event stream sends a keep-alive comment. */
export const KEEPALIVE_MS = 15_000;

/** An operation without its progress lines (but the newest one), for lists. */
export function summary(record: OperationRecord): Omit<OperationRecord, "progress"> & {
  lastProgress: OperationRecord["progress"][number] | null;
  progressCount: number;
} {
  const { progress, ...rest } = record;
  return {
    ...rest,
    lastProgress: progress.at(-1) ?? null,
    progressCount: progress.length + record.droppedProgress,
  };
}

/** Registers the operation routes on `app`. */
export function operationRoutes(app: Hono, ctx: Ctx): void {
  const { operations } = ctx;

  const get = (id: string): OperationRecord => {
    const record = operations.get(id);
    if (!record) {
      throw new RepocateError(
        "OPERATION_NOT_FOUND",
        `no operation "${id}" (the server keeps the newest ones only, and none across restarts)`,
      );
    }
    return record;
  };

  app.get("/v1/operations", (c) => c.json(operations.list().map(summary)));

  app.get("/v1/operations/:id", (c) => c.json(get(c.req.param("id"))));

  app.get("/v1/operations/:id/events", (c) => {
    const id = get(c.req.param("id")).id;
    const after = Number(c.req.header("last-event-id") ?? 0) || 0;
    return streamSSE(c, async (stream) => {
      const queue: OperationEvent[] = [];
      let wake: (() => void) | undefined;
      let closed = false;
      const stop = () => {
        closed = true;
        wake?.();
      };
      stream.onAbort(stop);
      ctx.shutdown.addEventListener("abort", stop);
      const unsubscribe = operations.subscribe(id, (event) => {
        if (event.seq > after) queue.push(event);
        wake?.();
      }, { replay: true });
      try {
        while (unsubscribe && !closed && !stream.aborted) {
          const event = queue.shift();
          if (event) {
            await stream.writeSSE({
              event: event.type,
              id: String(event.seq),
              data: JSON.stringify(event),
            });
            if (event.type !== "progress") return;
            continue;
          }
          const idle = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(true), KEEPALIVE_MS);
            wake = () => {
              clearTimeout(timer);
              resolve(false);
            };
          });
          wake = undefined;
          if (idle && !closed) await stream.write(": keep-alive\n\n");
        }
      } catch (error) {
        // Mostly a client that went away mid-write; never sent to the client.
        ctx.log(`repocate serve: event stream of ${id} ended: ${error}`);
      } finally {
        unsubscribe?.();
        ctx.shutdown.removeEventListener("abort", stop);
      }
    });
  });
}

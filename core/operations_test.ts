import { assert, assertEquals, assertMatch } from "@std/assert";
import { RepocateError } from "../errors.ts";
import { type OperationEvent, OperationStore } from "./operations.ts";

/** A promise with its resolve and reject outside. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

Deno.test("start returns a queued record with an id at once, before the work runs", async () => {
  const store = new OperationStore();
  let ran = false;
  const op = store.start("environment.create", "app", () => {
    ran = true;
    return Promise.resolve("made");
  });
  assertMatch(op.id, /^[0-9a-f-]{36}$/);
  assertEquals([op.kind, op.target, op.state, ran], ["environment.create", "app", "queued", false]);
  const done = await store.settled(op.id)!;
  assertEquals([done.state, done.result, ran], ["succeeded", "made", true]);
  assert(done.startedAt && done.finishedAt && done.createdAt <= done.startedAt);
});

Deno.test("progress lines are recorded with timestamps and streamed to listeners", async () => {
  const store = new OperationStore();
  const gate = deferred();
  const op = store.start("k", "t", async (progress) => {
    progress("one");
    await gate.promise;
    progress("two");
    return { ok: true };
  });
  await new Promise((r) => setTimeout(r, 0));
  const seen: OperationEvent[] = [];
  store.subscribe(op.id, (e) => seen.push(e), { replay: true });
  assertEquals(seen.map((e) => e.type), ["progress"], "the past is replayed");
  assertEquals(store.get(op.id)?.state, "running");
  gate.resolve();
  await store.settled(op.id);
  assertEquals(seen.map((e) => [e.seq, e.type]), [[1, "progress"], [2, "progress"], [3, "done"]]);
  const record = store.get(op.id)!;
  assertEquals(record.progress.map((l) => l.message), ["one", "two"]);
  assert(record.progress.every((l) => !Number.isNaN(Date.parse(l.at))));
  assertEquals(record.result, { ok: true });
});

Deno.test("a RepocateError fails the operation with its code; anything else is INTERNAL without detail", async () => {
  const internal: string[] = [];
  const store = new OperationStore({ onInternalError: (_op, e) => internal.push(String(e)) });
  const a = store.start("k", "a", () => Promise.reject(new RepocateError("USAGE", "bad name")));
  const b = store.start("k", "b", () => Promise.reject(new TypeError("secret detail")));
  assertEquals((await store.settled(a.id))?.error, { code: "USAGE", message: "bad name" });
  const failed = (await store.settled(b.id))!;
  assertEquals(failed.state, "failed");
  assertEquals(failed.error?.code, "INTERNAL");
  assert(!failed.error?.message.includes("secret"), "no detail leaks into the record");
  assertEquals(internal, ["TypeError: secret detail"]);
});

Deno.test("a listener of a failing operation gets a failed event last, and replay after the end repeats it", async () => {
  const store = new OperationStore();
  const op = store.start("k", "t", (progress) => {
    progress("trying");
    return Promise.reject(new RepocateError("ACTION_FAILED", "no luck"));
  });
  await store.settled(op.id);
  const seen: OperationEvent[] = [];
  store.subscribe(op.id, (e) => seen.push(e), { replay: true });
  assertEquals(seen.map((e) => e.type), ["progress", "failed"]);
  const last = seen.at(-1)!;
  assert(last.type === "failed");
  assertEquals(last.error, { code: "ACTION_FAILED", message: "no luck" });
});

Deno.test("list is newest first and history is bounded to the newest finished operations", async () => {
  const store = new OperationStore({ limit: 3 });
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const op = store.start("k", `t${i}`, () => Promise.resolve(i));
    ids.push(op.id);
    await store.settled(op.id);
  }
  assertEquals(store.list().map((o) => o.target), ["t4", "t3", "t2"]);
  assertEquals(store.get(ids[0]), undefined);
  assertEquals(store.subscribe(ids[0], () => {}), undefined);
});

Deno.test("running operations are never evicted and concurrency keeps the rest queued", async () => {
  const store = new OperationStore({ limit: 1, concurrency: 1 });
  const gate = deferred();
  const slow = store.start("k", "slow", async () => {
    await gate.promise;
    return "slow";
  });
  const next = store.start("k", "next", () => Promise.resolve("next"));
  await new Promise((r) => setTimeout(r, 0));
  assertEquals(store.get(slow.id)?.state, "running");
  assertEquals(store.get(next.id)?.state, "queued");
  assertEquals(store.counts(), { queued: 1, running: 1, succeeded: 0, failed: 0 });
  gate.resolve();
  assert(await store.drain(5000));
  assertEquals(store.list().map((o) => o.target), ["next"], "only the newest finished is kept");
});

Deno.test("operations sharing a lane run one after another in order; others pass them", async () => {
  const store = new OperationStore();
  const gate = deferred();
  const order: string[] = [];
  const first = store.start("k", "a", async () => {
    order.push("first");
    await gate.promise;
    return null;
  }, { lanes: ["repo:x"] });
  const second = store.start("k", "b", () => {
    order.push("second");
    return Promise.resolve(null);
  }, { lanes: ["repo:x", "env:b"] });
  const other = store.start("k", "c", () => {
    order.push("other");
    return Promise.resolve(null);
  }, { lanes: ["repo:y"] });
  await store.settled(other.id);
  assertEquals(store.get(second.id)?.state, "queued");
  assertEquals(order, ["first", "other"]);
  gate.resolve();
  await store.settled(second.id);
  assertEquals(order, ["first", "other", "second"]);
  assertEquals(store.get(first.id)?.state, "succeeded");
});

Deno.test("a listener that throws does not break the operation; unsubscribe stops delivery", async () => {
  const store = new OperationStore();
  const gate = deferred();
  const op = store.start("k", "t", async (progress) => {
    progress("a");
    await gate.promise;
    progress("b");
    return null;
  });
  await new Promise((r) => setTimeout(r, 0));
  store.subscribe(op.id, () => {
    throw new Error("listener bug");
  });
  const seen: string[] = [];
  const stop = store.subscribe(op.id, (e) => seen.push(e.type))!;
  stop();
  gate.resolve();
  assertEquals((await store.settled(op.id))?.state, "succeeded");
  assertEquals(seen, []);
});

Deno.test("records are copies: changing one does not change the store", async () => {
  const store = new OperationStore();
  const op = store.start("k", "t", () => Promise.resolve({ list: [1] }));
  await store.settled(op.id);
  const record = store.get(op.id)!;
  (record.result as { list: number[] }).list.push(2);
  record.state = "failed";
  assertEquals(store.get(op.id)?.result, { list: [1] });
  assertEquals(store.get(op.id)?.state, "succeeded");
});

Deno.test("drain gives up after its timeout while work still runs", async () => {
  const store = new OperationStore();
  const gate = deferred();
  store.start("k", "t", async () => {
    await gate.promise;
    return null;
  });
  assertEquals(await store.drain(20), false);
  gate.resolve();
  assertEquals(await store.drain(1000), true);
});

/**
 * Environments through `repocate serve`: a real server, real git repositories and the test
 * dockerd. Long verbs answer 202 with an operation whose Server-Sent Events stream is followed
 * to its end; quick ones answer 200.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { join } from "@std/path";
import { BUSYBOX_IMAGE, dockerTest } from "./_support/docker_engine.ts";
import { makeRepo } from "./_support/git_fixtures.ts";
import {
  assertNoStack,
  readEvents,
  type SseEvent,
  startServer,
  type TestServer,
  withServer,
} from "./_support/http_server.ts";

// deno-lint-ignore no-explicit-any
type Body = any;

/** A name unique to this run: container names are global on the engine other tests share. */
const unique = (base: string) => `${base}-${crypto.randomUUID().slice(0, 8)}`;

/** The environments of this server's home (the engine may hold other tests' too). */
async function ours(s: TestServer): Promise<Body[]> {
  const list = (await call(s, "GET", "/v1/environments")).body;
  return list.filter((e: Body) => e.workspace.startsWith(s.home + "/"));
}

async function call(s: TestServer, method: string, path: string, body?: unknown) {
  const res = await s.request(path, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headers: { "Content-Type": "application/json" },
  });
  const text = await res.text();
  if (res.status >= 400) assertNoStack(text);
  return { status: res.status, body: JSON.parse(text) as Body, headers: res.headers };
}

/** Follows an operation's event stream to its end; returns the events and the final record. */
async function follow(s: TestServer, id: string, lastEventId?: number) {
  const res = await s.request(`/v1/operations/${id}/events`, {
    headers: lastEventId ? { "Last-Event-ID": String(lastEventId) } : {},
  });
  assertEquals(res.status, 200);
  assertEquals(res.headers.get("content-type"), "text/event-stream");
  const events: SseEvent[] = await readEvents(res);
  const record = (await call(s, "GET", `/v1/operations/${id}`)).body;
  return { events, record };
}

/** Starts a verb that answers 202 and follows it; asserts it succeeded; returns the result. */
async function run(s: TestServer, path: string, body?: unknown): Promise<Body> {
  const started = await call(s, "POST", path, body);
  assertEquals(started.status, 202, JSON.stringify(started.body));
  const { operation } = started.body;
  assertEquals(started.headers.get("location"), `/v1/operations/${operation.id}`);
  const { events, record } = await follow(s, operation.id);
  assertEquals(events.at(-1)?.event, "done", JSON.stringify(events));
  assertEquals(record.state, "succeeded");
  return record.result;
}

Deno.test({
  name:
    "an environment's whole life through the API: create with its event stream, stop, start, snapshot, rollback, rebuild, logs, delete",
  ...dockerTest,
  fn: () =>
    withServer(async (s) => {
      const name = unique("webapp");
      const base = `/v1/environments/${name}`;
      const repo = await makeRepo(join(s.repos, name), { "a.txt": "one\n" });
      const created = await call(s, "POST", "/v1/environments", { repo });
      assertEquals(created.status, 202);
      const op = created.body.operation;
      assertMatch(op.id, /^[0-9a-f-]{36}$/);
      assertEquals([op.kind, op.target], ["environment.create", repo]);
      assert(op.state === "queued" || op.state === "running");

      const { events, record } = await follow(s, op.id);
      const kinds = events.map((e) => e.event);
      assertEquals(kinds.at(-1), "done");
      assert(kinds.slice(0, -1).every((k) => k === "progress") && kinds.length > 2, kinds.join());
      assertEquals(events.map((e) => Number(e.id)), events.map((_, i) => i + 1));
      assert(events.some((e) => String(e.data.message).includes("cloning")));
      assertEquals((events.at(-1)!.data.result as Body).name, name);
      assertEquals(record.state, "succeeded");
      assertEquals(record.progress.length, events.length - 1);
      const replay = await follow(s, op.id, events.length - 2);
      assertEquals(replay.events.map((e) => e.event), ["progress", "done"], "Last-Event-ID");

      const env = (await call(s, "GET", base)).body;
      assertEquals([env.name, env.state, env.image], [name, "running", BUSYBOX_IMAGE]);
      const ws = join(s.home, "workspaces", name);
      assertEquals(env.workspace, ws);
      assertEquals((await ours(s)).map((e: Body) => [e.name, e.state]), [[name, "running"]]);
      const ops = (await call(s, "GET", "/v1/operations")).body;
      assertEquals(ops.map((o: Body) => [o.id, o.state]), [[op.id, "succeeded"]]);
      const metrics = await (await s.request("/metrics")).text();
      assertMatch(metrics, /\nrepocate_environments\{state="running"\} [1-9]/);
      assertStringIncludes(metrics, 'repocate_operations{state="succeeded"} 1');

      const stopped = await call(s, "POST", `${base}/stop`);
      assertEquals([stopped.status, stopped.body.state], [200, "exited"]);
      assertEquals((await run(s, `${base}/start`)).state, "running");

      await Deno.writeTextFile(join(ws, "a.txt"), "two\n");
      const snap = await call(s, "POST", `${base}/snapshot`, { message: "two" });
      assertEquals(snap.status, 200);
      assertEquals(snap.body.message, "two");
      await Deno.writeTextFile(join(ws, "a.txt"), "three\n");
      const snaps = (await call(s, "GET", `${base}/snapshots`)).body;
      assert(snaps.some((x: Body) => x.id === snap.body.id));
      const rolled = await call(s, "POST", `${base}/rollback`, {
        snapshot: snap.body.id,
      });
      assertEquals(rolled.status, 200);
      assert(rolled.body.safetySnapshot.id !== snap.body.id);
      assertEquals(await Deno.readTextFile(join(ws, "a.txt")), "two\n");

      const rebuilding = await call(s, "POST", `${base}/rebuild`, {});
      assertEquals(rebuilding.status, 202);
      const busy = await call(s, "POST", `${base}/stop`);
      assertEquals([busy.status, busy.body.error.code], [409, "ENVIRONMENT_BUSY"]);
      const rebuilt = await follow(s, rebuilding.body.operation.id);
      assertEquals(rebuilt.record.state, "succeeded", JSON.stringify(rebuilt.record.error));
      assertEquals(rebuilt.record.result.imageRebuilt, false);
      assertEquals(rebuilt.record.result.environment.state, "running");
      assert(rebuilt.record.result.environment.containerId !== env.containerId);

      const logs = await call(s, "GET", `${base}/logs?tail=10`);
      assertEquals(logs.status, 200);
      assertEquals([typeof logs.body.stdout, typeof logs.body.stderr], ["string", "string"]);
      assertEquals((await call(s, "GET", `${base}/logs?tail=x`)).status, 400);

      const removed = await call(s, "DELETE", `${base}?purge=true`);
      assertEquals(removed.status, 200);
      assertEquals([removed.body.containerRemoved, removed.body.purged], [true, true]);
      assert(removed.body.snapshot, "delete snapshots first");
      assertEquals((await call(s, "GET", base)).status, 404);
      assertEquals(await ours(s), []);
      assertEquals(await Deno.stat(ws).then(() => true, () => false), false);
    }),
});

Deno.test({
  name:
    "SIGTERM ends the server cleanly: open event streams close and a running create finishes first",
  ...dockerTest,
  fn: async () => {
    const s = await startServer();
    try {
      const name = unique("bye");
      const repo = await makeRepo(join(s.repos, name), { "x": "1" });
      const { operation } = (await call(s, "POST", "/v1/environments", { repo })).body;
      const stream = await s.request(`/v1/operations/${operation.id}/events`);
      const events = readEvents(stream);
      const started = Date.now();
      const status = await s.stop();
      assertEquals(status?.code, 0, s.stderr());
      // A hang check, not a speed check: the grace period is 10 s.
      assert(Date.now() - started < 30_000, "the server stopped within three grace periods");
      assertStringIncludes(s.stderr(), "shutting down; waiting up to 10 s for 1 operation(s)");
      assert(!s.stderr().includes("cut short"), "the create finished within the grace period");
      await events; // the open stream ended instead of hanging
    } finally {
      await s.stop();
    }
  },
});

Deno.test({
  name:
    "two concurrent creates of one repo: one operation succeeds, the other fails cleanly, one container",
  ...dockerTest,
  fn: () =>
    withServer(async (s) => {
      const name = unique("race");
      const repo = await makeRepo(join(s.repos, name), { "x": "1" });
      const started = await Promise.all([
        call(s, "POST", "/v1/environments", { repo }),
        call(s, "POST", "/v1/environments", { repo }),
      ]);
      assertEquals(started.map((r) => r.status), [202, 202]);
      const ends = await Promise.all(started.map((r) => follow(s, r.body.operation.id)));
      const states = ends.map((e) => e.record.state).sort();
      assertEquals(states, ["failed", "succeeded"], JSON.stringify(ends.map((e) => e.record)));
      const loser = ends.find((e) => e.record.state === "failed")!;
      const last = loser.events.at(-1)!;
      assertEquals(last.event, "failed");
      assertEquals(last.data.error, loser.record.error);
      assertMatch(loser.record.error.code, /^[A-Z_]+$/);
      assertMatch(
        loser.record.error.message,
        // Which check catches the loser depends on timing: the creation lock, the name check,
        // or the engine refusing a second container of the same name.
        /being created or changed by another repocate|already exists|already in use/,
      );
      assertNoStack(JSON.stringify(loser.record));

      assertEquals((await ours(s)).map((e: Body) => [e.name, e.state]), [[name, "running"]]);
      const out = await new Deno.Command("docker", {
        args: ["ps", "-aq", "--filter", `label=dev.repocate.name=${name}`],
        stdout: "piped",
      }).output();
      const ids = new TextDecoder().decode(out.stdout).trim().split("\n").filter(Boolean);
      assertEquals(ids.length, 1, "exactly one container");

      const taken = await call(s, "POST", "/v1/environments", { repo, name });
      assertEquals([taken.status, taken.body.error.code], [409, "NAME_CONFLICT"]);

      const bad = await call(s, "POST", "/v1/environments", {
        repo: join(s.repos, "does-not-exist"),
        name: "ghost",
      });
      assertEquals(bad.status, 202);
      const failed = await follow(s, bad.body.operation.id);
      assertEquals(failed.events.at(-1)?.event, "failed");
      assertEquals(failed.record.state, "failed");
      assertNoStack(JSON.stringify(failed.record));
      assertEquals((await call(s, "GET", "/v1/environments/ghost")).status, 404);
      assertEquals((await call(s, "GET", "/healthz")).status, 200);
    }),
});

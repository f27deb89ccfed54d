/**
 * The service's environment list is kept current from Docker's events: a create the service
 * reports done is listed running at once, and a container stopped or removed behind repocate's
 * back shows once its events arrive (how soon is measured by bench/view_latency.ts, not here:
 * the wait below is a generous limit for a loaded machine, not a speed check).
 */
import { assertEquals } from "@std/assert";
import { join } from "@std/path";
import { dockerTest } from "./_support/docker_engine.ts";
import { makeRepo } from "./_support/git_fixtures.ts";
import { readEvents, type TestServer, withServer } from "./_support/http_server.ts";

async function stateOf(s: TestServer, name: string): Promise<string | undefined> {
  const list = await (await s.request("/v1/environments")).json() as {
    name: string;
    state: string;
  }[];
  return list.find((e) => e.name === name)?.state;
}

/** How long a change made behind the service's back may take to show on a loaded machine. */
const PATIENCE_MS = 20_000;

async function eventually(
  s: TestServer,
  name: string,
  want: string,
): Promise<string | undefined> {
  const until = Date.now() + PATIENCE_MS;
  let state = await stateOf(s, name);
  while (state !== want && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    state = await stateOf(s, name);
  }
  return state;
}

async function docker(...args: string[]): Promise<void> {
  const out = await new Deno.Command("docker", { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
}

Deno.test({
  ...dockerTest,
  name:
    "the service lists its own create at once, and a container changed behind its back from the engine's events",
  async fn() {
    await withServer(async (s) => {
      assertEquals(s.stderr().includes("no live container view"), false, s.stderr());
      const name = `view-${crypto.randomUUID().slice(0, 6)}`;
      const repo = await makeRepo(join(s.repos, name), { "a.txt": "a" });
      const res = await s.request("/v1/environments", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ repo, name }),
      });
      const { operation } = await res.json();
      const events = await readEvents(await s.request(`/v1/operations/${operation.id}/events`));
      assertEquals(events.at(-1)?.event, "done");
      assertEquals(await stateOf(s, name), "running", "listed as done left it, without waiting");

      await docker("stop", "-t", "0", `repocate-${name}`);
      assertEquals(await eventually(s, name, "exited"), "exited");
      await docker("rm", "-f", `repocate-${name}`);
      assertEquals(await eventually(s, name, "missing"), "missing");
      await s.request(`/v1/environments/${name}?purge=true`, { method: "DELETE" }).then((r) =>
        r.body?.cancel()
      );
    });
  },
});

/**
 * The service's environment list is kept current from Docker's events: a container stopped or
 * removed behind repocate's back shows within a second, without asking the engine per request.
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

async function within(
  ms: number,
  s: TestServer,
  name: string,
  want: string,
): Promise<string | undefined> {
  const until = Date.now() + ms;
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
    "a container stopped or removed behind repocate's back shows in the service's list within a second",
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
      assertEquals(await within(1000, s, name, "running"), "running");

      await docker("stop", "-t", "0", `repocate-${name}`);
      assertEquals(await within(1000, s, name, "exited"), "exited");
      await docker("rm", "-f", `repocate-${name}`);
      assertEquals(await within(1000, s, name, "missing"), "missing");
      await s.request(`/v1/environments/${name}?purge=true`, { method: "DELETE" }).then((r) =>
        r.body?.cancel()
      );
    });
  },
});

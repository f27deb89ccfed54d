/**
 * Load through the API: twenty environments created and removed concurrently through a real
 * `repocate serve`; afterwards nothing is left behind (no container, volume, workspace or lock).
 */
import { assertEquals } from "@std/assert";
import { join } from "@std/path";
import { dockerTest } from "./_support/docker_engine.ts";
import { makeRepo } from "./_support/git_fixtures.ts";
import { readEvents, type TestServer, withServer } from "./_support/http_server.ts";

const COUNT = 20;

async function json(s: TestServer, method: string, path: string, body?: unknown) {
  const res = await s.request(path, {
    method,
    headers: { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

async function docker(...args: string[]): Promise<string[]> {
  const out = await new Deno.Command("docker", { args, stdout: "piped", stderr: "null" }).output();
  return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean);
}

Deno.test({
  ...dockerTest,
  name:
    `${COUNT} environments created and removed concurrently through the API leave nothing behind`,
  async fn() {
    await withServer(async (s) => {
      const run = crypto.randomUUID().slice(0, 6);
      const names = Array.from({ length: COUNT }, (_, i) => `load-${run}-${i}`);
      const repos = await Promise.all(
        names.map((n) => makeRepo(join(s.repos, n), { "id.txt": n })),
      );

      const created = await Promise.all(
        names.map((name, i) => json(s, "POST", "/v1/environments", { repo: repos[i], name })),
      );
      assertEquals(created.map((c) => c.status), names.map(() => 202));
      const outcomes = await Promise.all(created.map(async (c) => {
        const res = await s.request(`/v1/operations/${c.body.operation.id}/events`);
        return (await readEvents(res, 600_000)).at(-1)?.event;
      }));
      assertEquals(outcomes, names.map(() => "done"));

      const listed = (await json(s, "GET", "/v1/environments")).body as {
        name: string;
        state: string;
      }[];
      const ours = listed.filter((e) => names.includes(e.name));
      assertEquals(ours.map((e) => e.state), names.map(() => "running"));

      const removed = await Promise.all(
        names.map((n) => json(s, "DELETE", `/v1/environments/${n}?purge=true`)),
      );
      assertEquals(removed.map((r) => r.status), names.map(() => 200));

      const containers = await docker(
        "ps",
        "-a",
        "--filter",
        `name=repocate-load-${run}-`,
        "--format",
        "{{.Names}}",
      );
      const volumes = await docker("volume", "ls", "-q", "--filter", `name=repocate-load-${run}-`);
      assertEquals([containers, volumes], [[], []]);
      const left: string[] = [];
      for (const dir of ["workspaces", "locks"]) {
        try {
          for await (const entry of Deno.readDir(join(s.home, dir))) {
            left.push(`${dir}/${entry.name}`);
          }
        } catch { /* never made */ }
      }
      assertEquals(left, []);
    });
  },
});

/**
 * The evidence behind README.md's permission table: the plugin is bundled the way the host
 * bundles it (`deno bundle --external 'npm:*' --external simple-git`), loaded into a Worker from
 * a `data:` URL with exactly {@link gitPluginPermissions}, and every action is run; then each
 * grant is taken away to show what needs it.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { Buffer } from "node:buffer";
import type { JsonObject } from "../../interfaces.ts";
import { makeBareRepo, makeRepo, makeTempDir } from "../../tests/_support/git_fixtures.ts";
import { serveGitHttp } from "../../tests/_support/git_http_server.ts";
import { gitPluginPermissions } from "./permissions.ts";
import type { Outcome } from "./testdata/worker_harness.ts";

const DENO_JSON = new URL("../../deno.json", import.meta.url).pathname;
const HARNESS = new URL("./testdata/worker_harness.ts", import.meta.url).pathname;

async function bundle(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-git-bundle-" });
  try {
    const out = `${dir}/git.js`;
    const args = ["bundle", "--quiet", "--config", DENO_JSON, "--external", "npm:*"];
    args.push("--external", "simple-git", "-o", out, HARNESS);
    const result = await new Deno.Command(Deno.execPath(), { args, stdin: "null" }).output();
    if (!result.success) throw new Error(new TextDecoder().decode(result.stderr));
    return await Deno.readTextFile(out);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

type Reply = { init: string } | { outcomes: Outcome[] };

function runInWorker(
  code: string,
  permissions: Deno.PermissionOptionsObject,
  config: JsonObject,
  calls: [string, JsonObject][],
): Promise<Reply> {
  const url = `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`;
  const worker = new Worker(url, { type: "module", deno: { permissions } });
  return new Promise<Reply>((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(event.message));
    };
    worker.postMessage({ config, calls });
  }).finally(() => worker.terminate());
}

Deno.test("the bundled plugin runs in a Worker with only its documented permissions", async (t) => {
  const code = await bundle();
  const root = await makeTempDir("repocate-git-worker-");
  const src = await makeRepo(`${root}/src`, [{ "a.txt": "1\n" }]);
  const bare = await makeBareRepo(src, `${root}/srv/repo.git`);
  const server = await serveGitHttp({ root: `${root}/srv` });
  const config = { workspaceRoot: root };
  let n = 0;
  const calls = (): [string, JsonObject][] => {
    const dir = `${root}/ws/${++n}`;
    return [
      ["git.url.parse", { url: "https://github.com/o/r.git" }],
      ["git.clone", { url: `file://${bare}`, dest: dir }],
      ["git.clone", { url: `${server.url}/repo.git`, dest: `${dir}-http`, depth: 1 }],
      ["git.status", { dir }],
      ["git.snapshot.create", { dir }],
      ["git.snapshot.list", { dir }],
      ["git.snapshot.rollback", { dir, id: "$snap" }],
      ["git.status", { dir: "/etc" }],
    ];
  };
  const permissions = gitPluginPermissions(root);
  try {
    await t.step("the bundle imports only node: builtins, and simple-git lazily", () => {
      const statics = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
      assert(statics.length > 0);
      for (const specifier of statics) assertMatch(specifier, /^node:/);
      const dynamics = [...code.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]);
      assertEquals(dynamics, ["simple-git"]);
    });

    await t.step("every action works with exactly gitPluginPermissions(root)", async () => {
      const reply = await runInWorker(code, permissions, config, calls());
      assert("outcomes" in reply, JSON.stringify(reply));
      const failures = reply.outcomes.filter((o) => "error" in o);
      assertEquals(failures.length, 1, JSON.stringify(failures));
      const outside = failures[0] as { error: string };
      assertStringIncludes(outside.error, 'GitError: dir "/etc" is outside the workspace root');
    });

    await t.step("without env NODE_V8_COVERAGE git cannot be spawned", async () => {
      const reply = await runInWorker(code, { ...permissions, env: false }, config, calls());
      assert("init" in reply);
      assertMatch(reply.init, /^NotCapable: .*env access to "NODE_V8_COVERAGE"/);
    });

    await t.step("without run git cannot run", async () => {
      const reply = await runInWorker(code, { ...permissions, run: false }, config, calls());
      assert("init" in reply);
      assertMatch(reply.init, /^NotCapable: .*run access to "git"/);
    });

    await t.step("without read the workspace root cannot be checked", async () => {
      const reply = await runInWorker(code, { ...permissions, read: false }, config, calls());
      assert("init" in reply);
      assertMatch(reply.init, /^NotCapable: .*read access/);
    });

    await t.step("without write only snapshots fail (their temporary index)", async () => {
      const reply = await runInWorker(code, { ...permissions, write: false }, config, calls());
      assert("outcomes" in reply);
      const byAction = reply.outcomes.map((o) => `${o.action} ${"ok" in o ? "ok" : o.error}`);
      assertEquals(byAction.slice(0, 4).map((s) => s.split(" ")[1]), ["ok", "ok", "ok", "ok"]);
      assertMatch(byAction[4], /^git.snapshot.create NotCapable: .*write access/);
    });
  } finally {
    await server.close();
    await Deno.remove(root, { recursive: true });
  }
});

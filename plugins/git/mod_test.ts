import { assert, assertEquals, assertRejects } from "@std/assert";
import { type JsonObject, PLUGIN_API_VERSION } from "../../interfaces.ts";
import { startInProcess } from "../_testing/in_process.ts";
import { makeRepo, makeTempDir } from "../../tests/_support/git_fixtures.ts";
import { GitError } from "./errors.ts";
import { Ops } from "./mod.ts";

Deno.test("Ops declares the git plugin for this API version", () => {
  assertEquals(Ops.name, "git");
  assertEquals(Ops.version, "0.1.0");
  assertEquals(Ops.apiVersion, PLUGIN_API_VERSION);
  assertEquals(typeof Ops.initialize, "function");
  assertEquals(typeof Ops.registerWithRegistry, "function");
});

Deno.test("the plugin registers the vcs item and its six actions", async () => {
  const root = await makeTempDir();
  const plugin = await startInProcess(Ops, { workspaceRoot: root });
  try {
    assertEquals([...plugin.items.keys()], ["vcs/git"]);
    const item = plugin.items.get("vcs/git")!;
    assertEquals(item.metadata?.snapshotRefPrefix, "refs/repocate/snapshots/");
    assertEquals(item.metadata?.workspaceRoot, root);
    assertEquals([...plugin.actions.keys()].sort(), [
      "git.clone",
      "git.snapshot.create",
      "git.snapshot.list",
      "git.snapshot.rollback",
      "git.status",
      "git.url.parse",
    ]);
    assert(plugin.logs.some((l) => l.startsWith("debug: git version")), plugin.logs.join("\n"));
    const dir = await makeRepo(`${root}/r`, { "a.txt": "a\n" });
    const status = await plugin.call("git.status", { dir });
    assertEquals(JSON.parse(JSON.stringify(status)), status, "results are plain JSON");
  } finally {
    await plugin.dispose();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("initialize refuses a config without an absolute workspaceRoot", async () => {
  const configs: JsonObject[] = [{}, { workspaceRoot: "relative" }];
  for (const config of configs) {
    const error = await assertRejects(() => startInProcess(Ops, config), GitError);
    assertEquals(error.code, "GIT_CONFIG_INVALID");
  }
});

Deno.test("actions called after dispose say the plugin is not initialized", async () => {
  const root = await makeTempDir();
  try {
    const plugin = await startInProcess(Ops, { workspaceRoot: root });
    await plugin.dispose();
    const error = await assertRejects(() => plugin.call("git.status", { dir: root }), GitError);
    assertEquals(error.code, "GIT_CONFIG_INVALID");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

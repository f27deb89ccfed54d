import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import type { JsonObject } from "../../interfaces.ts";
import { makeTempDir } from "../../tests/_support/git_fixtures.ts";
import { GitError } from "./errors.ts";
import { existingDir, futurePath, isInside, lexicalInside, parseSettings } from "./workspace.ts";

Deno.test("parseSettings needs an absolute workspaceRoot and nothing else", () => {
  assertEquals(parseSettings({ workspaceRoot: "/ws/" }), { workspaceRoot: "/ws" });
  assertEquals(parseSettings({ workspaceRoot: "/a/./b/../c" }), { workspaceRoot: "/a/c" });
  const bad: JsonObject[] = [{}, { workspaceRoot: "rel" }, { workspaceRoot: 3 }, {
    workspaceRoot: "/x\n",
  }];
  for (const config of bad) {
    assertThrows(() => parseSettings(config), GitError, "workspaceRoot");
  }
  assertThrows(() => parseSettings({ workspaceRoot: "/ws", extra: 1 }), GitError, "extra");
});

Deno.test("isInside compares whole path segments", () => {
  assertEquals(isInside("/ws", "/ws"), true);
  assertEquals(isInside("/ws", "/ws/a/b"), true);
  assertEquals(isInside("/ws", "/ws2"), false);
  assertEquals(isInside("/ws", "/"), false);
  assertEquals(isInside("/", "/anything"), true);
});

Deno.test("lexicalInside refuses relative paths and '..' escapes", () => {
  const settings = { workspaceRoot: "/ws" };
  assertEquals(lexicalInside(settings, "/ws/a/../b/", "dir"), "/ws/b");
  const escape = assertThrows(() => lexicalInside(settings, "/ws/../etc", "dir"), GitError);
  assertEquals(escape.code, "GIT_OUTSIDE_WORKSPACE");
  const relative = assertThrows(() => lexicalInside(settings, "ws/a", "dir"), GitError);
  assertEquals(relative.code, "GIT_INPUT_INVALID");
});

Deno.test("existingDir resolves symlinks and refuses ones leading out", async () => {
  const root = await makeTempDir();
  try {
    const settings = { workspaceRoot: root };
    await Deno.mkdir(`${root}/real`);
    await Deno.symlink(`${root}/real`, `${root}/link`);
    await Deno.symlink("/etc", `${root}/out`);
    await Deno.writeTextFile(`${root}/file`, "x");
    assertEquals(await existingDir(settings, `${root}/link`), `${root}/real`);
    const out = await assertRejects(() => existingDir(settings, `${root}/out`), GitError);
    assertEquals(out.code, "GIT_OUTSIDE_WORKSPACE");
    const file = await assertRejects(() => existingDir(settings, `${root}/file`), GitError);
    assertEquals(file.code, "GIT_INPUT_INVALID");
    const gone = await assertRejects(() => existingDir(settings, `${root}/gone`), GitError);
    assertEquals(gone.code, "GIT_INPUT_INVALID");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("futurePath lists the directories a clone would create", async () => {
  const root = await makeTempDir();
  try {
    const settings = { workspaceRoot: root };
    await Deno.mkdir(`${root}/a`);
    assertEquals(await futurePath(settings, `${root}/a/b/c`, "dest"), {
      path: `${root}/a/b/c`,
      missing: [`${root}/a/b`, `${root}/a/b/c`],
    });
    assertEquals(await futurePath(settings, `${root}/a`, "dest"), {
      path: `${root}/a`,
      missing: [],
    });
    const missingRoot = { workspaceRoot: `${root}/no-such-root` };
    const noRoot = await assertRejects(
      () => futurePath(missingRoot, `${root}/no-such-root/x`, "dest"),
      GitError,
    );
    assertEquals(noRoot.code, "GIT_CONFIG_INVALID");
    await Deno.symlink("/tmp", `${root}/t`);
    const out = await assertRejects(() => futurePath(settings, `${root}/t/new`, "dest"), GitError);
    assertEquals(out.code, "GIT_OUTSIDE_WORKSPACE");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

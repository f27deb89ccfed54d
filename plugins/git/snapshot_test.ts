import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import {
  git,
  gitBytes,
  listFiles,
  makeRepo,
  writeFiles,
} from "../../tests/_support/git_fixtures.ts";
import { isSnapshotId, newSnapshotId, parseSnapshotList, snapshotTime } from "./snapshot.ts";
import { exists, gitWorkspace } from "./test_helpers.ts";

/** Everything a snapshot must not change, as comparable values. */
async function userState(dir: string) {
  await git(dir, "status", "--porcelain"); // settle git's own index refresh first
  const index = await Deno.readFile(`${dir}/.git/index`).catch(() => new Uint8Array());
  return {
    index: [...index].join(","),
    status: await git(dir, "status", "--porcelain=v1", "-uall"),
    stash: await git(dir, "stash", "list"),
    head: await git(dir, "symbolic-ref", "-q", "HEAD").catch(() => "detached"),
    branch: await git(dir, "for-each-ref", "refs/heads", "refs/stash"),
    files: await snapshotOfFiles(dir),
  };
}

async function snapshotOfFiles(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of await listFiles(dir)) out[path] = await Deno.readTextFile(`${dir}/${path}`);
  return out;
}

async function dirtyRepo(dir: string): Promise<string> {
  await makeRepo(dir, [
    { "tracked.txt": "v1\n", "staged.txt": "s1\n", "gone.txt": "bye\n", ".gitignore": "*.log\n" },
    { "tracked.txt": "v2\n" },
  ]);
  await writeFiles(dir, { "tracked.txt": "stash me\n" });
  await git(dir, "stash", "push", "-q", "-m", "user stash");
  await writeFiles(dir, {
    "tracked.txt": "modified, unstaged\n",
    "staged.txt": "staged change\n",
    "new-staged.txt": "new and staged\n",
    "untracked.txt": "untracked\n",
    "deep/dir/untracked.md": "deep\n",
    "debug.log": "ignored\n",
  });
  await git(dir, "add", "staged.txt", "new-staged.txt");
  await writeFiles(dir, { "staged.txt": "staged change, then edited\n" });
  await Deno.remove(`${dir}/gone.txt`);
  return dir;
}

Deno.test("a snapshot of a dirty tree records it all and changes nothing of the user's", async () => {
  const ws = await gitWorkspace();
  try {
    const dir = await dirtyRepo(`${ws.root}/repo`);
    const head = (await git(dir, "rev-parse", "HEAD")).trim();
    const before = await userState(dir);
    const snap = await ws.call("git.snapshot.create", { dir, message: "before the storm" });
    assertEquals(await userState(dir), before);
    assert(isSnapshotId(snap.id as string));
    assertEquals(snap.ref, `refs/repocate/snapshots/${snap.id}`);
    assertEquals(snap.parent, head);
    assertEquals(snap.message, "before the storm");
    assertEquals(snap.createdAt, snapshotTime(snap.id as string));
    assertEquals((await git(dir, "rev-parse", snap.ref as string)).trim(), snap.commit);
    const files = (await git(dir, "ls-tree", "-r", "--name-only", snap.commit as string)).trim()
      .split("\n");
    assertEquals(files, [
      ".gitignore",
      "deep/dir/untracked.md",
      "new-staged.txt",
      "staged.txt",
      "tracked.txt",
      "untracked.txt",
    ]);
    const show = (path: string) => git(dir, "show", `${snap.commit}:${path}`);
    assertEquals(await show("tracked.txt"), "modified, unstaged\n");
    assertEquals(await show("staged.txt"), "staged change, then edited\n");
    const leftovers = [...Deno.readDirSync(`${dir}/.git`)].filter((e) =>
      e.name.includes("repocate")
    );
    assertEquals(leftovers, [], "no temporary index left behind");
  } finally {
    await ws.close();
  }
});

Deno.test("snapshots are listed newest first", async () => {
  const ws = await gitWorkspace();
  try {
    const dir = await makeRepo(`${ws.root}/repo`, { "a.txt": "a\n" });
    assertEquals(await ws.call("git.snapshot.list", { dir }), { snapshots: [] });
    const first = await ws.call("git.snapshot.create", { dir });
    await new Promise((r) => setTimeout(r, 5));
    const second = await ws.call("git.snapshot.create", { dir, message: "two\n\nwith body" });
    const { snapshots } = await ws.call("git.snapshot.list", { dir }) as {
      snapshots: Record<string, unknown>[];
    };
    assertEquals(snapshots.map((s) => s.id), [second.id, first.id]);
    assertEquals(snapshots[0].message, "two\n\nwith body");
    assertEquals(snapshots[1].message, `repocate snapshot ${first.id}`);
    assertEquals(snapshots[0].commit, second.commit);
    assertEquals(snapshots[0].createdAt, second.createdAt);
  } finally {
    await ws.close();
  }
});

Deno.test("rollback restores a snapshot and its safety snapshot undoes the rollback", async () => {
  const ws = await gitWorkspace();
  try {
    const dir = await dirtyRepo(`${ws.root}/repo`);
    const snap = await ws.call("git.snapshot.create", { dir });
    const atSnapshot = await snapshotOfFiles(dir);
    await writeFiles(dir, {
      "tracked.txt": "later edit\n",
      "created-later.txt": "new\n",
      "later/nested.txt": "nested\n",
      "later.log": "ignored and new\n",
    });
    await Deno.remove(`${dir}/untracked.txt`);
    await git(dir, "add", "-A");
    await git(dir, "commit", "-q", "-m", "a commit after the snapshot");
    await writeFiles(dir, { "after-commit.txt": "x\n" });
    const head = (await git(dir, "rev-parse", "HEAD")).trim();
    const beforeRollback = await snapshotOfFiles(dir);

    const result = await ws.call("git.snapshot.rollback", { dir, id: snap.id });
    assertEquals(result.id, snap.id);
    assertEquals(result.commit, snap.commit);
    assertEquals(await snapshotOfFiles(dir), { ...atSnapshot, "later.log": "ignored and new\n" });
    assert(!await exists(`${dir}/later`), "emptied directories removed");
    assertEquals((await git(dir, "rev-parse", "HEAD")).trim(), head, "HEAD stays");
    assertEquals((await git(dir, "symbolic-ref", "HEAD")).trim(), "refs/heads/main");
    await git(dir, "diff-index", "--cached", "--quiet", `${snap.commit}^{tree}`);
    await git(dir, "diff-files", "--quiet");
    assertEquals((await git(dir, "stash", "list")).trim().split("\n").length, 1);

    const safety = result.safetySnapshot as Record<string, unknown>;
    assert(isSnapshotId(safety.id as string));
    assertStringIncludes(safety.message as string, `before rolling back to ${snap.id}`);
    const undo = await ws.call("git.snapshot.rollback", { dir, id: safety.id });
    assertEquals(await snapshotOfFiles(dir), beforeRollback);
    assert(isSnapshotId((undo.safetySnapshot as Record<string, unknown>).id as string));
  } finally {
    await ws.close();
  }
});

Deno.test("rollback keeps ignored files it overwrites in the safety snapshot", async () => {
  const ws = await gitWorkspace();
  try {
    const dir = await makeRepo(`${ws.root}/repo`, { "a.txt": "a\n" });
    await writeFiles(dir, { "notes.txt": "at snapshot\n" });
    const snap = await ws.call("git.snapshot.create", { dir });
    await writeFiles(dir, { ".gitignore": "notes.txt\n", "notes.txt": "precious, now ignored\n" });
    const result = await ws.call("git.snapshot.rollback", { dir, id: snap.id });
    assertEquals(await Deno.readTextFile(`${dir}/notes.txt`), "at snapshot\n");
    assert(!await exists(`${dir}/.gitignore`));
    const safety = result.safetySnapshot as Record<string, unknown>;
    await ws.call("git.snapshot.rollback", { dir, id: safety.id });
    assertEquals(await Deno.readTextFile(`${dir}/notes.txt`), "precious, now ignored\n");
    assertEquals(await Deno.readTextFile(`${dir}/.gitignore`), "notes.txt\n");
  } finally {
    await ws.close();
  }
});

Deno.test("snapshots work in a repository without commits", async () => {
  const ws = await gitWorkspace();
  try {
    const dir = `${ws.root}/empty`;
    await Deno.mkdir(dir);
    await git(dir, "init", "-q", "-b", "main");
    const none = await ws.call("git.snapshot.create", { dir });
    assertEquals(none.parent, null);
    assertEquals(
      (await git(dir, "ls-tree", "-r", "--name-only", none.commit as string)).trim(),
      "",
    );
    await writeFiles(dir, { "first.txt": "1\n" });
    const snap = await ws.call("git.snapshot.create", { dir });
    assertEquals(snap.parent, null);
    assertEquals(await git(dir, "status", "--porcelain"), "?? first.txt\n");
    assert(!await exists(`${dir}/.git/index`), "index still absent");
    await writeFiles(dir, { "first.txt": "changed\n", "second.txt": "2\n" });
    await ws.call("git.snapshot.rollback", { dir, id: snap.id });
    assertEquals(await listFiles(dir), ["first.txt"]);
    assertEquals(await Deno.readTextFile(`${dir}/first.txt`), "1\n");
    await assertRejectsCode(() => git(dir, "rev-parse", "--verify", "-q", "HEAD"));
  } finally {
    await ws.close();
  }
});

async function assertRejectsCode(fn: () => Promise<unknown>): Promise<void> {
  let failed = false;
  await fn().catch(() => failed = true);
  assert(failed, "expected a failure");
}

Deno.test("rollback to an unknown id names it and says how to list snapshots", async () => {
  const ws = await gitWorkspace();
  try {
    const dir = await makeRepo(`${ws.root}/repo`, { "a.txt": "a\n" });
    const before = await userState(dir);
    for (const id of [newSnapshotId(), "not-an-id", "../../heads/main"]) {
      const error = await ws.fails("git.snapshot.rollback", { dir, id });
      assertEquals(error.code, "GIT_SNAPSHOT_NOT_FOUND");
      assertStringIncludes(error.message, JSON.stringify(id));
      assertStringIncludes(error.message, "git.snapshot.list");
    }
    assertEquals(await userState(dir), before);
    assertEquals(await git(dir, "for-each-ref", "refs/repocate"), "", "no safety snapshot taken");
  } finally {
    await ws.close();
  }
});

Deno.test("snapshot actions refuse non-repositories, bare repositories and outside dirs", async () => {
  const ws = await gitWorkspace();
  try {
    await Deno.mkdir(`${ws.root}/plain`);
    assertEquals(
      (await ws.fails("git.snapshot.create", { dir: `${ws.root}/plain` })).code,
      "GIT_NOT_A_REPO",
    );
    await git(ws.root, "init", "-q", "--bare", "bare.git");
    const bare = await ws.fails("git.snapshot.create", { dir: `${ws.root}/bare.git` });
    assertEquals(bare.code, "GIT_NOT_A_REPO");
    const outside = await ws.fails("git.snapshot.list", { dir: "/" });
    assertEquals(outside.code, "GIT_OUTSIDE_WORKSPACE");
  } finally {
    await ws.close();
  }
});

Deno.test("snapshot ids sort by time and parse back", () => {
  const a = newSnapshotId(new Date("2024-03-05T06:07:08.009Z"), new Uint8Array([1, 2, 255]));
  assertEquals(a, "20240305T060708009Z-0102ff");
  assertEquals(snapshotTime(a), "2024-03-05T06:07:08.009Z");
  const b = newSnapshotId(new Date("2024-03-05T06:07:08.010Z"), new Uint8Array([0, 0, 0]));
  assert(a < b);
  assertMatch(newSnapshotId(), /^\d{8}T\d{9}Z-[0-9a-f]{6}$/);
  assert(!isSnapshotId("20240305T060708009Z-0102ff/../x"));
});

Deno.test("parseSnapshotList skips foreign refs and keeps multi-line messages", () => {
  const id = "20240305T060708009Z-0102ff";
  const out = `refs/repocate/snapshots/${id}\x1fc1\x1fp1\x1fline one\n\nbody\n\x1e\n` +
    `refs/repocate/snapshots/junk\x1fc2\x1f\x1fx\n\x1e\n`;
  assertEquals(parseSnapshotList(out), [{
    id,
    ref: `refs/repocate/snapshots/${id}`,
    commit: "c1",
    parent: "p1",
    message: "line one\n\nbody",
    createdAt: "2024-03-05T06:07:08.009Z",
  }]);
  assertEquals(parseSnapshotList(""), []);
});

Deno.test("the git index is byte-identical after a snapshot even with a split index", async () => {
  const ws = await gitWorkspace();
  try {
    const dir = await makeRepo(`${ws.root}/repo`, { "a.txt": "a\n", "b.txt": "b\n" });
    await git(dir, "update-index", "--split-index");
    await writeFiles(dir, { "a.txt": "changed\n", "c.txt": "c\n" });
    await git(dir, "add", "c.txt");
    const before = await userState(dir);
    const bytes = await gitBytes(dir, "ls-files", "-s");
    await ws.call("git.snapshot.create", { dir });
    assertEquals(await userState(dir), before);
    assertEquals(await gitBytes(dir, "ls-files", "-s"), bytes);
  } finally {
    await ws.close();
  }
});

import { assertEquals } from "@std/assert";
import { git, makeBareRepo, makeRepo, writeFiles } from "../../tests/_support/git_fixtures.ts";
import { parseStatus } from "./status.ts";
import { gitWorkspace } from "./test_helpers.ts";

Deno.test("parseStatus counts porcelain v2 records", () => {
  const out = [
    "# branch.oid 0123abcd",
    "# branch.head main",
    "# branch.upstream origin/main",
    "# branch.ab +2 -1",
    "1 .M N... 100644 100644 100644 a a a.txt",
    "1 M. N... 100644 100644 100644 a b b.txt",
    "1 MM N... 100644 100644 100644 a b c.txt",
    "2 R. N... 100644 100644 100644 a a R100 new.txt",
    "old.txt",
    "u UU N... 100644 100644 100644 100644 a b c d conflict.txt",
    "? untracked.txt",
    "? new line\nname.txt",
    "",
  ].join("\0");
  assertEquals(parseStatus(out, "/r"), {
    root: "/r",
    branch: "main",
    head: "0123abcd",
    detached: false,
    clean: false,
    modified: 2,
    untracked: 2,
    staged: 3,
    conflicted: 1,
    ahead: 2,
    behind: 1,
  });
  const fresh = parseStatus("# branch.oid (initial)\0# branch.head (detached)\0", "/r");
  assertEquals([fresh.head, fresh.branch, fresh.detached, fresh.clean], [null, null, true, true]);
});

Deno.test("git.status reports clean, dirty, detached and empty repositories", async () => {
  const ws = await gitWorkspace();
  try {
    const dir = await makeRepo(`${ws.root}/repo`, [{ "a.txt": "a\n", "b.txt": "b\n" }]);
    const head = (await git(dir, "rev-parse", "HEAD")).trim();
    assertEquals(await ws.call("git.status", { dir }), {
      root: dir,
      branch: "main",
      head,
      detached: false,
      clean: true,
      modified: 0,
      untracked: 0,
      staged: 0,
      conflicted: 0,
      ahead: null,
      behind: null,
    });

    await writeFiles(dir, { "a.txt": "changed\n", "c.txt": "new\n", "d/e/f.txt": "deep\n" });
    await writeFiles(dir, { "b.txt": "staged\n" });
    await git(dir, "add", "b.txt");
    await Deno.mkdir(`${dir}/sub`);
    const dirty = await ws.call("git.status", { dir: `${dir}/sub` });
    assertEquals([dirty.clean, dirty.modified, dirty.staged, dirty.untracked], [false, 1, 1, 2]);
    assertEquals(dirty.root, dir);

    await git(dir, "checkout", "-q", "--detach");
    const detached = await ws.call("git.status", { dir });
    assertEquals([detached.branch, detached.detached, detached.head], [null, true, head]);

    const empty = `${ws.root}/empty`;
    await Deno.mkdir(empty);
    await git(empty, "init", "-q", "-b", "trunk");
    const fresh = await ws.call("git.status", { dir: empty });
    assertEquals([fresh.branch, fresh.head, fresh.clean], ["trunk", null, true]);
  } finally {
    await ws.close();
  }
});

Deno.test("git.status shows ahead and behind counts against an upstream", async () => {
  const ws = await gitWorkspace();
  try {
    const src = await makeRepo(`${ws.root}/src`, [{ "a.txt": "1\n" }]);
    const bare = await makeBareRepo(src, `${ws.root}/bare.git`);
    await git(ws.root, "clone", "-q", bare, `${ws.root}/clone`);
    const dir = `${ws.root}/clone`;
    await writeFiles(dir, { "b.txt": "2\n" });
    await git(dir, "add", "-A");
    await git(dir, "commit", "-q", "-m", "ahead");
    const status = await ws.call("git.status", { dir });
    assertEquals([status.ahead, status.behind, status.clean], [1, 0, true]);
  } finally {
    await ws.close();
  }
});

Deno.test("git.status does not rewrite the index", async () => {
  const ws = await gitWorkspace();
  try {
    const dir = await makeRepo(`${ws.root}/repo`, [{ "a.txt": "a\n" }]);
    const stat = await Deno.stat(`${dir}/.git/index`);
    await new Promise((r) => setTimeout(r, 20));
    await Deno.utime(`${dir}/a.txt`, new Date(), new Date()); // stat change: a refresh would write
    const bytes = await Deno.readFile(`${dir}/.git/index`);
    await ws.call("git.status", { dir });
    assertEquals(await Deno.readFile(`${dir}/.git/index`), bytes);
    assertEquals((await Deno.stat(`${dir}/.git/index`)).mtime, stat.mtime);
  } finally {
    await ws.close();
  }
});

Deno.test("git.status refuses directories outside git and outside the workspace", async () => {
  const ws = await gitWorkspace();
  try {
    await Deno.mkdir(`${ws.root}/plain`);
    const notRepo = await ws.fails("git.status", { dir: `${ws.root}/plain` });
    assertEquals(notRepo.code, "GIT_NOT_A_REPO");
    assertEquals((await ws.fails("git.status", { dir: "/etc" })).code, "GIT_OUTSIDE_WORKSPACE");
    assertEquals(
      (await ws.fails("git.status", { dir: `${ws.root}/nope` })).code,
      "GIT_INPUT_INVALID",
    );
    assertEquals((await ws.fails("git.status", { dir: "relative" })).code, "GIT_INPUT_INVALID");
  } finally {
    await ws.close();
  }
});

import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { git, makeBareRepo, makeRepo } from "../../tests/_support/git_fixtures.ts";
import { serveGitHttp } from "../../tests/_support/git_http_server.ts";
import { checkBranchName, classifyCloneError } from "./clone.ts";
import { GitError } from "./errors.ts";
import { GitCommandError } from "./runner.ts";
import { exists, gitWorkspace } from "./test_helpers.ts";

Deno.test("git.clone against real repositories", async (t) => {
  const ws = await gitWorkspace();
  const src = await makeRepo(`${ws.root}/src/work`, [{ "a.txt": "one\n" }, { "b.txt": "two\n" }], {
    branches: { feature: { "f.txt": "feature\n" } },
  });
  const bare = await makeBareRepo(src, `${ws.root}/srv/repo.git`);
  const head = (await git(src, "rev-parse", "HEAD")).trim();
  const server = await serveGitHttp({
    root: `${ws.root}/srv`,
    auth: { user: "u", password: "pw" },
  });
  try {
    await t.step("clones a local bare repository given by path", async () => {
      const out = await ws.call("git.clone", { url: bare, dest: `${ws.root}/c/local` });
      assertEquals(out, {
        url: `file://${bare}`,
        kind: "file",
        name: "repo",
        dest: `${ws.root}/c/local`,
        branch: "main",
        head,
      });
      assertEquals(await Deno.readTextFile(`${ws.root}/c/local/b.txt`), "two\n");
      assert(ws.plugin.progress.some((m) => m.startsWith("cloning file://")));
    });

    await t.step("clones from a file:// URL", async () => {
      const out = await ws.call("git.clone", { url: `file://${bare}`, dest: `${ws.root}/c/file` });
      assertEquals(out.head, head);
    });

    await t.step("clones over HTTP with a branch and a depth, forwarding progress", async () => {
      ws.plugin.progress.length = 0;
      const dest = `${ws.root}/c/http`;
      const out = await ws.call("git.clone", {
        url: `${server.url}/repo.git`,
        dest,
        branch: "feature",
        depth: 1,
      });
      assertEquals(out.branch, "feature");
      assertEquals(out.kind, "http");
      assertEquals((await git(dest, "rev-list", "--count", "HEAD")).trim(), "1");
      assert(await exists(`${dest}/.git/shallow`));
      assertEquals(await Deno.readTextFile(`${dest}/f.txt`), "feature\n");
      assert(ws.plugin.progress.some((m) => /^\S+ \d+% \(\d+\/\d+\)$/.test(m)), "progress lines");
      const repeats = ws.plugin.progress.filter((m, i, all) => i > 0 && all[i - 1] === m);
      assertEquals(repeats, [], "no line twice in a row");
    });

    await t.step("checks out a tag detached, and clones an empty repository", async () => {
      await git(bare, "tag", "v1", "HEAD");
      const tag = await ws.call("git.clone", { url: bare, dest: `${ws.root}/c/tag`, branch: "v1" });
      assertEquals([tag.branch, tag.head], [null, head]);
      await git(ws.root, "init", "-q", "--bare", "srv/empty.git");
      const empty = await ws.call("git.clone", {
        url: `${server.url}/empty.git`,
        dest: `${ws.root}/c/empty-repo`,
      });
      assertEquals([empty.branch, empty.head], [null, null]);
      assert(await exists(`${ws.root}/c/empty-repo/.git`));
    });

    await t.step("reports a missing repository and leaves nothing behind", async () => {
      const dest = `${ws.root}/c/new/deeper/missing`;
      const error = await ws.fails("git.clone", { url: `${server.url}/nope.git`, dest });
      assertEquals(error.code, "GIT_REPO_NOT_FOUND");
      assertStringIncludes(error.message, "nope.git");
      assert(!await exists(`${ws.root}/c/new`), "created parents removed");
      const local = await ws.fails("git.clone", { url: `${ws.root}/none`, dest });
      assertEquals(local.code, "GIT_REPO_NOT_FOUND");
    });

    await t.step("names a branch that does not exist", async () => {
      const dest = `${ws.root}/c/nobranch`;
      const error = await ws.fails("git.clone", {
        url: `${server.url}/repo.git`,
        dest,
        branch: "nope",
      });
      assertEquals(error.code, "GIT_BRANCH_NOT_FOUND");
      assertStringIncludes(error.message, 'branch "nope"');
      assert(!await exists(dest));
    });

    await t.step("says authentication is required instead of prompting", async () => {
      const dest = `${ws.root}/c/auth`;
      const error = await ws.fails("git.clone", { url: `${server.authUrl}/repo.git`, dest });
      assertEquals(error.code, "GIT_AUTH_REQUIRED");
      assert(!await exists(dest));
    });

    await t.step("says the network is unreachable", async () => {
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = (listener.addr as Deno.NetAddr).port;
      listener.close();
      const dest = `${ws.root}/c/net`;
      const error = await ws.fails("git.clone", { url: `http://127.0.0.1:${port}/r.git`, dest });
      assertEquals(error.code, "GIT_NETWORK");
      assert(!await exists(dest));
    });

    await t.step("refuses a non-empty dest and leaves it intact", async () => {
      const dest = `${ws.root}/c/full`;
      await Deno.mkdir(dest, { recursive: true });
      await Deno.writeTextFile(`${dest}/keep.txt`, "mine\n");
      const error = await ws.fails("git.clone", { url: bare, dest });
      assertEquals(error.code, "GIT_DEST_NOT_EMPTY");
      assertEquals([...Deno.readDirSync(dest)].map((e) => e.name), ["keep.txt"]);
      assertEquals(await Deno.readTextFile(`${dest}/keep.txt`), "mine\n");
      const file = await ws.fails("git.clone", { url: bare, dest: `${dest}/keep.txt` });
      assertEquals(file.code, "GIT_DEST_NOT_EMPTY");
    });

    await t.step("keeps a pre-existing empty dest, empty, when the clone fails", async () => {
      const dest = `${ws.root}/c/empty`;
      await Deno.mkdir(dest);
      const error = await ws.fails("git.clone", {
        url: `${server.url}/repo.git`,
        dest,
        branch: "x",
      });
      assertEquals(error.code, "GIT_BRANCH_NOT_FOUND");
      assertEquals([...Deno.readDirSync(dest)], []);
      const out = await ws.call("git.clone", { url: bare, dest });
      assertEquals(out.head, head);
    });

    await t.step("refuses destinations outside the workspace, also through symlinks", async () => {
      const outside = await ws.fails("git.clone", { url: bare, dest: "/tmp/elsewhere" });
      assertEquals(outside.code, "GIT_OUTSIDE_WORKSPACE");
      await Deno.symlink("/tmp", `${ws.root}/link`);
      const linked = await ws.fails("git.clone", { url: bare, dest: `${ws.root}/link/x` });
      assertEquals(linked.code, "GIT_OUTSIDE_WORKSPACE");
      const relative = await ws.fails("git.clone", { url: bare, dest: "rel/x" });
      assertEquals(relative.code, "GIT_INPUT_INVALID");
    });

    await t.step("rejects bad references, branches and depths before running git", async () => {
      const dest = `${ws.root}/c/bad`;
      for (const url of ["ext::sh -c id", "-u", "./rel", "git://h/r"]) {
        assertEquals((await ws.fails("git.clone", { url, dest })).code, "GIT_URL_INVALID");
      }
      const branch = await ws.fails("git.clone", { url: bare, dest, branch: "--upload-pack=x" });
      assertEquals(branch.code, "GIT_INPUT_INVALID");
      const depth = await ws.fails("git.clone", { url: bare, dest, depth: 0 });
      assertEquals(depth.code, "GIT_INPUT_INVALID");
      assert(!await exists(dest));
    });
  } finally {
    await server.close();
    await ws.close();
  }
});

Deno.test("checkBranchName accepts ordinary names and refuses unsafe ones", () => {
  for (const ok of ["main", "feature/x", "v1.2.3", "release-2024_01"]) checkBranchName(ok);
  for (
    const bad of ["", "-x", "a..b", "a b", "a:b", "x.lock", "/a", "a/", ".a", "a/.b", "@", "a\\b"]
  ) {
    let threw = false;
    try {
      checkBranchName(bad);
    } catch (error) {
      threw = error instanceof GitError && error.code === "GIT_INPUT_INVALID";
    }
    assert(threw, JSON.stringify(bad));
  }
});

Deno.test("classifyCloneError tells the failures apart from git's stderr", () => {
  const cases: [string, string][] = [
    ["fatal: Remote branch dev not found in upstream origin", "GIT_BRANCH_NOT_FOUND"],
    [
      "fatal: could not read Username for 'https://h': terminal prompts disabled",
      "GIT_AUTH_REQUIRED",
    ],
    [
      "git@h: Permission denied (publickey).\nfatal: Could not read from remote repository.",
      "GIT_AUTH_REQUIRED",
    ],
    ["fatal: unable to access 'https://x/': Could not resolve host: x", "GIT_NETWORK"],
    [
      "ssh: connect to host h port 22: Connection refused\nfatal: Could not read from remote repository.",
      "GIT_NETWORK",
    ],
    ["fatal: repository 'https://h/o/r/' not found", "GIT_REPO_NOT_FOUND"],
    ["fatal: '/x' does not appear to be a git repository", "GIT_REPO_NOT_FOUND"],
    ["fatal: something odd", "GIT_FAILED"],
  ];
  for (const [stderr, code] of cases) {
    const error = classifyCloneError(new GitCommandError(["clone"], 128, stderr), "https://h/o/r");
    assertEquals(error.code, code, stderr);
    assertMatch(error.message, /^[^\n]+$/);
  }
});

import { assert, assertEquals, assertRejects } from "@std/assert";
import { git, makeRepo, makeTempDir } from "../../tests/_support/git_fixtures.ts";
import { GitError } from "./errors.ts";
import { GitCommandError, gitEnv, mainProblem, runGit, tryGit } from "./runner.ts";

Deno.test("gitEnv never prompts, uses the C locale and stops discovery above the workspace", () => {
  Deno.env.set("REPOCATE_TEST_SECRET", "leak");
  try {
    const env = gitEnv({ GIT_INDEX_FILE: "/x/index" }, "/work/space");
    assertEquals(env.GIT_TERMINAL_PROMPT, "0");
    assertEquals(env.LC_ALL, "C");
    assertEquals(env.GIT_SSH_COMMAND, "ssh -o BatchMode=yes");
    assertEquals(env.GIT_ALLOW_PROTOCOL, "https:http:ssh:file");
    assertEquals(env.GIT_OPTIONAL_LOCKS, "0");
    assertEquals(env.GIT_CEILING_DIRECTORIES, "/work");
    assertEquals(env.GIT_INDEX_FILE, "/x/index");
    assert(env.PATH);
    assert(!("REPOCATE_TEST_SECRET" in env), "only named variables pass");
  } finally {
    Deno.env.delete("REPOCATE_TEST_SECRET");
  }
});

Deno.test("runGit gives git only the plugin's environment", async () => {
  const root = await makeTempDir();
  try {
    const dir = await makeRepo(`${root}/repo`, { "a.txt": "a\n" });
    Deno.env.set("GIT_DIR", "/nonexistent");
    try {
      assertEquals((await runGit(dir, ["rev-parse", "--git-dir"])).trim(), ".git");
    } finally {
      Deno.env.delete("GIT_DIR");
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("runGit reports exit codes even when git prints nothing to stderr", async () => {
  const root = await makeTempDir();
  try {
    const dir = await makeRepo(`${root}/repo`, { "a.txt": "a\n" });
    const head = (await git(dir, "rev-parse", "HEAD")).trim();
    assertEquals((await runGit(dir, ["rev-parse", "HEAD"])).trim(), head);
    assertEquals(await tryGit(dir, ["rev-parse", "--verify", "-q", "refs/heads/nope"]), undefined);
    const error = await assertRejects(
      () => runGit(dir, ["rev-parse", "--verify", "-q", "refs/heads/nope"]),
      GitCommandError,
    );
    assertEquals(error.exitCode, 1);
    const fatal = await assertRejects(() => runGit(dir, ["log", "no-such-rev"]), GitCommandError);
    assertEquals(fatal.exitCode, 128);
    assert(fatal.stderr.includes("no-such-rev"));
    assert(fatal.message.startsWith("git log failed (exit 128): fatal:"), fatal.message);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("mainProblem prefers the first fatal line over generic later ones", () => {
  const stderr = "Cloning into 'x'...\nfatal: '/x' does not appear to be a git repository\n" +
    "fatal: Could not read from remote repository.\n";
  assertEquals(mainProblem(stderr), "fatal: '/x' does not appear to be a git repository");
  assertEquals(mainProblem("warning: a\nsomething else\n"), "something else");
  assertEquals(mainProblem(""), "no message");
});

Deno.test("git missing from PATH is GIT_NOT_INSTALLED, naming PATH and the command, for runGit and tryGit", async () => {
  const root = await makeTempDir();
  try {
    const noGit = `${root}/bin`;
    await Deno.mkdir(noGit);
    for (const run of [runGit, tryGit]) {
      const error = await assertRejects(
        () => run(root, ["status"], { env: { PATH: noGit } }),
        GitError,
      );
      assertEquals(error.code, "GIT_NOT_INSTALLED");
      assert(error.message.startsWith("git is not installed or not found on PATH"), error.message);
      assert(error.message.includes(`(${noGit})`), error.message);
      assert(error.message.includes('"git status"'), error.message);
      assert(!error.message.includes("\n"));
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

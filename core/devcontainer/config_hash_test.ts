import { assert, assertEquals, assertMatch, assertNotEquals } from "@std/assert";
import { dirname, join } from "@std/path";
import { canonicalJson, configHash, runHash } from "./config_hash.ts";
import { resolvePlan } from "./resolve.ts";

const OPTIONS = { name: "app", defaultImage: "repocate/base:1", env: {} };
const BUILD_CONFIG = JSON.stringify({
  build: { dockerfile: "Dockerfile", args: { V: "1" } },
  forwardPorts: [3000],
});

/** A temp repository whose files are `files`; `fn` gets helpers to edit it and hash it. */
async function withRepo(
  files: Record<string, string>,
  fn: (repo: {
    dir: string;
    write(file: string, text: string): Promise<void>;
    hashes(): Promise<{ config: string; run: string }>;
  }) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-hash-" });
  const write = async (file: string, text: string) => {
    await Deno.mkdir(dirname(join(dir, file)), { recursive: true });
    await Deno.writeTextFile(join(dir, file), text);
  };
  const hashes = async () => {
    const plan = await resolvePlan({ ...OPTIONS, repoDir: dir });
    return { config: await configHash(plan, dir), run: await runHash(plan) };
  };
  try {
    for (const [file, text] of Object.entries(files)) await write(file, text);
    await fn({ dir, write, hashes });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The usual layout: config, Dockerfile and a script in .devcontainer (the context). */
const LAYOUT = {
  ".devcontainer/devcontainer.json": BUILD_CONFIG,
  ".devcontainer/Dockerfile": "FROM debian\nCOPY setup.sh /\n",
  ".devcontainer/setup.sh": "echo hi\n",
  ".devcontainer/.dockerignore": "*.log\ncache/\n",
  "README.md": "outside the context\n",
};

Deno.test("configHash is 64 hex digits, stable, and independent of the repository's place", async () => {
  await withRepo(LAYOUT, async (a) => {
    await withRepo(LAYOUT, async (b) => {
      const first = await a.hashes();
      assertMatch(first.config, /^[0-9a-f]{64}$/);
      assertMatch(first.run, /^[0-9a-f]{64}$/);
      assertEquals(await a.hashes(), first);
      assertEquals(await b.hashes(), first);
    });
  });
});

Deno.test("configHash changes when a context file changes, is added or turns executable", async () => {
  await withRepo(LAYOUT, async (repo) => {
    const seen = new Set([(await repo.hashes()).config]);
    await repo.write(".devcontainer/setup.sh", "echo bye\n");
    seen.add((await repo.hashes()).config);
    await repo.write(".devcontainer/extra/new.txt", "");
    seen.add((await repo.hashes()).config);
    await Deno.chmod(join(repo.dir, ".devcontainer/setup.sh"), 0o755);
    seen.add((await repo.hashes()).config);
    assertEquals(seen.size, 4);
  });
});

Deno.test("configHash changes when the Dockerfile or the build in devcontainer.json changes", async () => {
  await withRepo(LAYOUT, async (repo) => {
    const before = await repo.hashes();
    await repo.write(".devcontainer/Dockerfile", "FROM debian:12\n");
    const afterDockerfile = await repo.hashes();
    assertNotEquals(afterDockerfile.config, before.config);
    await repo.write(
      ".devcontainer/devcontainer.json",
      JSON.stringify({ build: { dockerfile: "Dockerfile", args: { V: "2" } } }),
    );
    assertNotEquals((await repo.hashes()).config, afterDockerfile.config);
  });
});

Deno.test("configHash ignores ignored files, files outside the context, .git and mtimes", async () => {
  await withRepo(LAYOUT, async (repo) => {
    const before = (await repo.hashes()).config;
    await repo.write(".devcontainer/build.log", "noise");
    await repo.write(".devcontainer/cache/blob", "noise");
    await repo.write("README.md", "changed, but outside the context");
    await repo.write("src/main.ts", "new, but outside the context");
    await repo.write(".devcontainer/.git/HEAD", "ref: refs/heads/x");
    await Deno.utime(join(repo.dir, ".devcontainer/setup.sh"), 1, 1);
    await Deno.utime(join(repo.dir, ".devcontainer/Dockerfile"), 2, 2);
    assertEquals((await repo.hashes()).config, before);
  });
});

Deno.test("an image config: runHash follows forwardPorts, configHash follows the image", async () => {
  const config = (ports: number[], image = "debian:12") =>
    JSON.stringify({ image, forwardPorts: ports });
  await withRepo({ ".devcontainer.json": config([3000]) }, async (repo) => {
    const before = await repo.hashes();
    await repo.write(".devcontainer.json", config([3000, 8080]));
    const after = await repo.hashes();
    assertEquals(after.config, before.config);
    assertNotEquals(after.run, before.run);
    await repo.write(".devcontainer.json", config([3000, 8080], "debian:13"));
    const image = await repo.hashes();
    assertNotEquals(image.config, after.config);
    assertEquals(image.run, after.run);
  });
});

Deno.test("a devcontainer.json inside the build context counts as a context file", async () => {
  await withRepo(LAYOUT, async (repo) => {
    const before = await repo.hashes();
    await repo.write(
      ".devcontainer/devcontainer.json",
      JSON.stringify({ build: { dockerfile: "Dockerfile", args: { V: "1" } }, forwardPorts: [1] }),
    );
    const after = await repo.hashes();
    assertNotEquals(after.run, before.run);
    assertNotEquals(after.config, before.config, "a Dockerfile could COPY it");
  });
});

Deno.test("a root Dockerfile hashes the whole repository but .git", async () => {
  await withRepo({ Dockerfile: "FROM debian\nCOPY . /src\n", "a.txt": "a" }, async (repo) => {
    const before = await repo.hashes();
    await repo.write(".git/index", "x");
    assertEquals(await repo.hashes(), before);
    await repo.write("a.txt", "b");
    assertNotEquals((await repo.hashes()).config, before.config);
  });
});

Deno.test("runHash ignores key order and forwardPorts order, and sees commands and users", async () => {
  await withRepo({ ".devcontainer.json": '{"image": "debian"}' }, async (repo) => {
    const plan = await resolvePlan({ ...OPTIONS, repoDir: repo.dir });
    const base = await runHash({ ...plan, forwardPorts: [1, 2], containerEnv: { A: "1", B: "2" } });
    assertEquals(
      await runHash({ ...plan, forwardPorts: [2, 1], containerEnv: { B: "2", A: "1" } }),
      base,
    );
    const variants = await Promise.all([
      runHash({ ...plan, forwardPorts: [1, 2], containerEnv: { A: "1", B: "3" } }),
      runHash({ ...plan, forwardPorts: [1, 2, 3], containerEnv: { A: "1", B: "2" } }),
      runHash({ ...plan, forwardPorts: [1, 2], containerEnv: { A: "1", B: "2" }, remoteUser: "u" }),
      runHash({
        ...plan,
        forwardPorts: [1, 2],
        containerEnv: { A: "1", B: "2" },
        postCreateCommand: { kind: "shell", command: "make" },
      }),
    ]);
    assert(variants.every((hash) => hash !== base));
    assertEquals(new Set(variants).size, variants.length);
    assertEquals(
      await configHash(plan, repo.dir),
      await configHash({ ...plan, remoteUser: "u" }, repo.dir),
    );
  });
});

Deno.test("canonicalJson sorts keys at every depth and keeps array order", () => {
  assertEquals(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } }), '{"a":{"d":[2,1]},"b":1}');
});

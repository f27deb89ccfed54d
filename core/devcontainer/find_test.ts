import { assertEquals } from "@std/assert";
import { dirname, join } from "@std/path";
import { findConfig } from "./find.ts";

/** Runs `fn` in a fresh temp folder holding `files` (path -> text), then removes it. */
async function withRepo(
  files: string[],
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-find-" });
  try {
    for (const file of files) {
      await Deno.mkdir(dirname(join(dir, file)), { recursive: true });
      await Deno.writeTextFile(join(dir, file), "{}");
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test(".devcontainer/devcontainer.json comes before everything else", async () => {
  await withRepo([
    ".devcontainer/devcontainer.json",
    ".devcontainer.json",
    ".devcontainer/python/devcontainer.json",
    "Dockerfile",
  ], async (dir) => {
    assertEquals(await findConfig(dir), {
      kind: "devcontainer",
      file: join(dir, ".devcontainer/devcontainer.json"),
    });
  });
});

Deno.test(".devcontainer.json comes before a nested config and a Dockerfile", async () => {
  await withRepo(
    [".devcontainer.json", ".devcontainer/python/devcontainer.json", "Dockerfile"],
    async (dir) => {
      assertEquals(await findConfig(dir), {
        kind: "devcontainer",
        file: join(dir, ".devcontainer.json"),
      });
    },
  );
});

Deno.test("a single nested .devcontainer/<folder>/devcontainer.json is chosen", async () => {
  await withRepo([".devcontainer/python/devcontainer.json", "Dockerfile"], async (dir) => {
    assertEquals(await findConfig(dir), {
      kind: "devcontainer",
      file: join(dir, ".devcontainer/python/devcontainer.json"),
    });
  });
});

Deno.test("several nested configs choose none and fall through to the Dockerfile", async () => {
  await withRepo([
    ".devcontainer/python/devcontainer.json",
    ".devcontainer/node/devcontainer.json",
    ".devcontainer/deeper/one/devcontainer.json",
    "Dockerfile",
  ], async (dir) => {
    assertEquals(await findConfig(dir), {
      kind: "dockerfile",
      file: join(dir, "Dockerfile"),
      ignored: [
        join(dir, ".devcontainer/node/devcontainer.json"),
        join(dir, ".devcontainer/python/devcontainer.json"),
      ],
    });
  });
});

Deno.test("a root Dockerfile is used when there is no devcontainer.json", async () => {
  await withRepo(["Dockerfile", "src/devcontainer.json"], async (dir) => {
    assertEquals(await findConfig(dir), { kind: "dockerfile", file: join(dir, "Dockerfile") });
  });
});

Deno.test("a repository with nothing gets the default, also when .devcontainer is a file", async () => {
  await withRepo(["README.md", ".devcontainer"], async (dir) => {
    assertEquals(await findConfig(dir), { kind: "default" });
  });
});

Deno.test("a folder named devcontainer.json is not a config", async () => {
  await withRepo([".devcontainer/devcontainer.json/x"], async (dir) => {
    assertEquals(await findConfig(dir), { kind: "default" });
  });
});

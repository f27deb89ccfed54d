import { assertEquals } from "@std/assert";
import { dirname, join } from "@std/path";
import { contextEntries, ignorePatterns } from "./build_context.ts";

async function withDir(
  files: Record<string, string>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-context-" });
  try {
    for (const [file, text] of Object.entries(files)) {
      await Deno.mkdir(dirname(join(dir, file)), { recursive: true });
      await Deno.writeTextFile(join(dir, file), text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("context entries are sorted, skip .git and honour .dockerignore", async () => {
  await withDir({
    "b.txt": "",
    "a/z.txt": "",
    "a/y.log": "",
    ".git/HEAD": "",
    "sub/.git/config": "",
    ".dockerignore": "**/*.log\nDockerfile\n",
    Dockerfile: "FROM x",
  }, async (dir) => {
    await Deno.chmod(join(dir, "b.txt"), 0o755);
    const entries = await contextEntries(dir, await ignorePatterns(dir, "Dockerfile"));
    assertEquals(entries, [
      { kind: "file", path: ".dockerignore", executable: false },
      { kind: "dir", path: "a" },
      { kind: "file", path: "a/z.txt", executable: false },
      { kind: "file", path: "b.txt", executable: true },
      { kind: "dir", path: "sub" },
    ]);
  });
});

Deno.test("an ignored folder is still walked for re-included files", async () => {
  await withDir({
    ".dockerignore": "docs\n!docs/keep.md\n",
    "docs/a.md": "",
    "docs/keep.md": "",
  }, async (dir) => {
    const entries = await contextEntries(dir, await ignorePatterns(dir, "Dockerfile"));
    assertEquals(entries.map((e) => e.path), [".dockerignore", "docs/keep.md"]);
  });
});

Deno.test("symbolic links are listed with their target, not followed", async () => {
  await withDir({ "real/file.txt": "" }, async (dir) => {
    await Deno.symlink("real", join(dir, "link"));
    assertEquals(await contextEntries(dir, []), [
      { kind: "symlink", path: "link", target: "real" },
      { kind: "dir", path: "real" },
      { kind: "file", path: "real/file.txt", executable: false },
    ]);
  });
});

Deno.test("<Dockerfile>.dockerignore beside the Dockerfile wins over .dockerignore", async () => {
  await withDir({
    ".dockerignore": "a.txt\n",
    "docker/dev.Dockerfile.dockerignore": "b.txt\n",
    "a.txt": "",
    "b.txt": "",
  }, async (dir) => {
    const patterns = await ignorePatterns(dir, "docker/dev.Dockerfile");
    assertEquals(patterns.map((p) => p.text), ["b.txt"]);
    assertEquals((await ignorePatterns(dir, "Dockerfile")).map((p) => p.text), ["a.txt"]);
  });
});

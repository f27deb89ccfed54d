import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "@std/path";
import { RepocateError } from "../errors.ts";
import {
  editManifest,
  loadManifest,
  manifestVars,
  readLock,
  writeFileAtomic,
  writeLock,
} from "./io.ts";
import { emptyLock, serializeLock, withEntry } from "./lock.ts";

const VARS = { HOME: "/home/u" };
const h = (digit: string) => `sha256-${digit.repeat(64)}`;

/** Runs `fn` with a fresh temporary folder, removed afterwards. */
async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-io-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

function manifestJson(plugins: unknown[]): string {
  return JSON.stringify({ version: 1, plugins }, null, 2) + "\n";
}

Deno.test("loadManifest reads a manifest whose local sources exist", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "plugins.json");
    await Deno.writeTextFile(join(dir, "hello.ts"), "export const Ops = {};\n");
    await Deno.writeTextFile(
      file,
      manifestJson([
        { name: "hello", source: "./hello.ts" },
        { name: "remote", source: "https://example.com/p@1.0.0/mod.ts" },
      ]),
    );
    const manifest = await loadManifest(file, VARS);
    assertEquals(manifest.file, file);
    assertEquals(manifest.plugins.map((p) => p.source), [
      { kind: "local", path: join(dir, "hello.ts"), url: `file://${join(dir, "hello.ts")}` },
      { kind: "remote", url: "https://example.com/p@1.0.0/mod.ts" },
    ]);
  });
});

Deno.test("loadManifest reports a missing local source file with its absolute path", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "plugins.json");
    await Deno.writeTextFile(join(dir, "present.ts"), "");
    await Deno.mkdir(join(dir, "folder.ts"));
    await Deno.writeTextFile(
      file,
      manifestJson([
        { name: "present", source: "present.ts" },
        { name: "missing", source: "./sub/missing.ts" },
        { name: "folder", source: "folder.ts" },
      ]),
    );
    const error = await assertRejects(() => loadManifest(file, VARS), RepocateError);
    assertEquals(error.code, "MANIFEST_INVALID");
    assertEquals(
      error.message,
      `${file}: plugins[1].source: file not found: ${join(dir, "sub", "missing.ts")}; ` +
        `plugins[2].source: not a file: ${join(dir, "folder.ts")}`,
    );
  });
});

Deno.test("loadManifest of a missing manifest says the file was not found", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "nope.json");
    const error = await assertRejects(() => loadManifest(file, VARS), RepocateError);
    assertEquals(error.code, "MANIFEST_INVALID");
    assertEquals(error.message, `${file}: cannot read: file not found`);
  });
});

Deno.test("loadManifest passes parse faults through", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "plugins.json");
    await Deno.writeTextFile(file, "{ not json");
    const error = await assertRejects(() => loadManifest(file, VARS), RepocateError);
    assertEquals(error.code, "MANIFEST_INVALID");
    assertStringIncludes(error.message, `${file}: not valid JSON`);
  });
});

Deno.test("readLock of a missing file returns an empty lock", async () => {
  await withTempDir(async (dir) => {
    assertEquals(await readLock(join(dir, "plugins.lock.json")), emptyLock());
    assertEquals(await listDir(dir), [], "reading creates nothing");
  });
});

Deno.test("readLock of a corrupt file fails with LOCK_INVALID", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "plugins.lock.json");
    await Deno.writeTextFile(file, '{"version": 1}');
    const error = await assertRejects(() => readLock(file), RepocateError);
    assertEquals(error.code, "LOCK_INVALID");
    assert(error.message.startsWith(`${file}: `), error.message);
  });
});

Deno.test("writeLock then readLock round-trips and writes the canonical text", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "plugins.lock.json");
    const lock = withEntry(
      withEntry(emptyLock(), "https://b.example/q.ts", {
        integrity: h("1"),
        modules: { "https://b.example/q.ts": h("2") },
      }),
      "https://a.example/p.ts",
      {
        integrity: h("3"),
        modules: { "https://a.example/z.ts": h("4"), "https://a.example/p.ts": h("5") },
      },
    );
    await writeLock(file, lock);
    assertEquals(await readLock(file), lock);
    assertEquals(await Deno.readTextFile(file), serializeLock(lock));
    assertEquals(await listDir(dir), ["plugins.lock.json"], "no temporary file left");

    await writeLock(file, emptyLock());
    assertEquals(await readLock(file), emptyLock(), "a second write replaces the first");
  });
});

Deno.test("editManifest writes a valid edit and keeps what the user wrote", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "plugins.json");
    await Deno.writeTextFile(join(dir, "a.ts"), "");
    await Deno.writeTextFile(
      file,
      JSON.stringify({
        $schema: "./plugins.schema.json",
        version: 1,
        plugins: [{ name: "a", source: "a.ts", description: "first", config: { x: "${HOME}" } }],
      }),
    );
    const manifest = await editManifest(file, (raw) => {
      raw.plugins[0].enabled = false;
    }, VARS);
    assertEquals(manifest.plugins[0].enabled, false);
    assertEquals(manifest.plugins[0].config, { x: "/home/u" });
    const text = await Deno.readTextFile(file);
    assert(text.endsWith("}\n"), "final newline");
    assertEquals(JSON.parse(text), {
      $schema: "./plugins.schema.json",
      version: 1,
      plugins: [{
        name: "a",
        source: "a.ts",
        description: "first",
        config: { x: "${HOME}" },
        enabled: false,
      }],
    });
    assertEquals(await listDir(dir), ["a.ts", "plugins.json"]);
  });
});

Deno.test("editManifest refuses an edit that makes the manifest invalid and leaves the file byte-identical", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "plugins.json");
    // Odd spacing on purpose: a rewrite, even of the same data, would change these bytes.
    const original = '{ "version": 1,\n   "plugins": [ {"name": "a", "source": "a.ts"} ] }';
    await Deno.writeTextFile(file, original);
    const before = await Deno.readFile(file);

    const error = await assertRejects(
      () =>
        editManifest(file, (raw) => {
          raw.plugins.push({ name: "a", source: "http://example.com/b.ts" });
        }, VARS),
      RepocateError,
    );
    assertEquals(error.code, "MANIFEST_INVALID");
    assertStringIncludes(error.message, 'plugins[1].name: duplicate plugin name "a"');
    assertStringIncludes(error.message, "plugins[1].source: ");

    assertEquals(await Deno.readFile(file), before);
    assertEquals(await listDir(dir), ["plugins.json"], "no temporary file left");
  });
});

Deno.test("editManifest refuses to edit a manifest that is already invalid", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "plugins.json");
    const original = '{"version": 1, "plugins": [], "oops": 1}';
    await Deno.writeTextFile(file, original);
    let called = false;
    const error = await assertRejects(
      () =>
        editManifest(file, () => {
          called = true;
        }, VARS),
      RepocateError,
    );
    assertEquals(error.code, "MANIFEST_INVALID");
    assertStringIncludes(error.message, "oops: unknown key");
    assertEquals(called, false, "the edit never ran");
    assertEquals(await Deno.readTextFile(file), original);
  });
});

Deno.test("a failed atomic write leaves no temporary files behind", async () => {
  await withTempDir(async (dir) => {
    // The target is a non-empty folder: the temporary file is written, the rename fails.
    const target = join(dir, "plugins.lock.json");
    await Deno.mkdir(target);
    await Deno.writeTextFile(join(target, "keep"), "x");
    await assertRejects(() => writeLock(target, emptyLock()));
    assertEquals(await listDir(dir), ["plugins.lock.json"]);
    assertEquals(await listDir(target), ["keep"]);
  });
});

Deno.test("an atomic write into a missing folder fails and creates nothing", async () => {
  await withTempDir(async (dir) => {
    await assertRejects(() => writeFileAtomic(join(dir, "absent", "f.json"), "{}\n"));
    assertEquals(await listDir(dir), []);
  });
});

Deno.test("manifestVars derives the docker socket from a unix DOCKER_HOST", () => {
  const saved = Deno.env.get("DOCKER_HOST");
  try {
    Deno.env.set("DOCKER_HOST", "unix:///run/user/1000/docker.sock");
    assertEquals(manifestVars().DOCKER_SOCKET, "/run/user/1000/docker.sock");
    Deno.env.set("DOCKER_HOST", "tcp://127.0.0.1:2375");
    assertEquals(manifestVars().DOCKER_SOCKET, "/var/run/docker.sock");
    Deno.env.delete("DOCKER_HOST");
    const vars = manifestVars();
    assertEquals(vars.DOCKER_SOCKET, "/var/run/docker.sock");
    assertEquals(Object.keys(vars).sort(), [
      "DOCKER_SOCKET",
      "HOME",
      "REPOCATE_HOME",
      "REPOCATE_ROOT",
    ]);
    assert(vars.REPOCATE_ROOT.length > 1, "the repocate source folder is known");
  } finally {
    if (saved === undefined) Deno.env.delete("DOCKER_HOST");
    else Deno.env.set("DOCKER_HOST", saved);
  }
});

/**
 * Remote plugins served from 127.0.0.1: pinning, verification against plugins.lock.json, the
 * frozen mode, and add/remove keeping manifest and lock whole.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "@std/path";
import { RepocateError } from "../errors.ts";
import { openRuntime } from "../core/runtime.ts";
import { addPlugin, checkPlugins, lockPlugins, removePlugin } from "../core/plugin_admin.ts";
import { readLock } from "../manifest/io.ts";
import { type FileServer, serveDir } from "./_support/file_server.ts";
import { type TempProject, tempProject } from "./_support/runtime.ts";

const pluginSource = (name: string, extraImport = "") => `
import { greeting } from "./dep.ts";
${extraImport}
export const Ops = {
  name: "${name}",
  version: "1.0.0",
  apiVersion: "1.0",
  initialize() {},
  registerWithRegistry(registry: any) {
    registry.registerAction({
      name: "${name}.greet",
      description: "returns the greeting its dependency exports",
      inputSchema: {},
      handler: () => greeting,
    });
    registry.registerAction({
      name: "${name}.load",
      description: "imports a module at run time",
      inputSchema: { type: "object", properties: { url: { type: "string" } }, required: ["url"] },
      handler: async (input: { url: string }) => (await import(input.url)).greeting,
    });
  },
};
`;

interface Remote {
  root: string;
  server: FileServer;
  project: TempProject;
  url: string;
  write(file: string, text: string): Promise<void>;
  cleanup(): Promise<void>;
}

async function remotePlugin(name = "remote"): Promise<Remote> {
  const root = await Deno.makeTempDir({ prefix: "repocate-served-" });
  const write = (file: string, text: string) => Deno.writeTextFile(join(root, file), text);
  await write("mod.ts", pluginSource(name));
  await write("dep.ts", `export const greeting: string = "hello from v1";\n`);
  const server = serveDir(root);
  const url = `${server.url}mod.ts`;
  const project = await tempProject([{ name, source: url }]);
  return {
    root,
    server,
    project,
    url,
    write,
    async cleanup() {
      await server.close();
      await project.cleanup();
      await Deno.remove(root, { recursive: true });
    },
  };
}

async function withRemote(fn: (r: Remote) => Promise<void>): Promise<void> {
  const remote = await remotePlugin();
  try {
    await fn(remote);
  } finally {
    await remote.cleanup();
  }
}

async function greetOnce(remote: Remote, extra = {}): Promise<unknown> {
  const runtime = await openRuntime(remote.project.options(extra));
  try {
    const status = runtime.host.get("remote");
    if (status?.state !== "loaded") {
      throw new RepocateError("PLUGIN_INIT_FAILED", JSON.stringify(status?.error));
    }
    return await runtime.registry.invoke("remote.greet", {});
  } finally {
    await runtime.close();
  }
}

async function loadError(remote: Remote, extra = {}) {
  const runtime = await openRuntime(remote.project.options(extra));
  try {
    return runtime.host.get("remote")?.error;
  } finally {
    await runtime.close();
  }
}

const readText = (file: string) => Deno.readTextFile(file).catch(() => null);

Deno.test("a remote plugin is pinned on first load with every module of its graph", async () => {
  await withRemote(async (remote) => {
    assertEquals(await greetOnce(remote), "hello from v1");
    const lock = await readLock(remote.project.lockFile);
    const entry = lock.plugins[remote.url];
    assert(entry, "the lock pins the plugin's URL");
    assertEquals(Object.keys(entry.modules).sort(), [`${remote.server.url}dep.ts`, remote.url]);
    assert(Object.values(entry.modules).every((h) => /^sha256-[0-9a-f]{64}$/.test(h)));
    const text = await Deno.readTextFile(remote.project.lockFile);
    assert(text.endsWith("}\n"), "the lock ends with a newline");
  });
});

Deno.test("a pinned plugin runs from verified content without fetching again", async () => {
  await withRemote(async (remote) => {
    await greetOnce(remote);
    const before = remote.server.hits.get("/dep.ts");
    await remote.write("dep.ts", `export const greeting: string = "swapped behind the lock";\n`);
    assertEquals(await greetOnce(remote), "hello from v1");
    assertEquals(remote.server.hits.get("/dep.ts"), before);
  });
});

Deno.test("a changed transitive import is refused with its URL, both hashes and advice", async () => {
  await withRemote(async (remote) => {
    await greetOnce(remote);
    const lockBefore = await readText(remote.project.lockFile);
    const locked = (await readLock(remote.project.lockFile)).plugins[remote.url];
    await remote.write("dep.ts", `export const greeting: string = "hello from a changed v1";\n`);

    const results = await checkPlugins(remote.project.options());
    assertEquals(results.map((r) => [r.name, r.ok, r.error?.code]), [[
      "remote",
      false,
      "LOCK_MISMATCH",
    ]]);
    const message = results[0].error!.message;
    const depUrl = `${remote.server.url}dep.ts`;
    assertStringIncludes(message, `plugin "remote"`);
    assertStringIncludes(
      message,
      `${depUrl} changed: locked ${locked.modules[depUrl]}, fetched sha256-`,
    );
    assertStringIncludes(message, "Pin an immutable URL");
    assert(!message.includes("\n"), "one line");

    // A machine without the verified bundle in its cache refuses to load it at all.
    const error = await loadError(remote, { cacheDir: join(remote.project.dir, "fresh-cache") });
    assertEquals(error?.code, "LOCK_MISMATCH");
    assertEquals(await readText(remote.project.lockFile), lockBefore);
  });
});

Deno.test("changed content of the plugin's own module is refused", async () => {
  await withRemote(async (remote) => {
    await greetOnce(remote);
    await remote.write("mod.ts", pluginSource("remote") + "\n// a quiet change\n");
    const error = await loadError(remote, { cacheDir: join(remote.project.dir, "fresh-cache") });
    assertEquals(error?.code, "LOCK_MISMATCH");
    assertStringIncludes(error!.message, `${remote.url} changed: locked sha256-`);
  });
});

Deno.test("a new import added after locking is reported as new", async () => {
  await withRemote(async (remote) => {
    await greetOnce(remote);
    await remote.write("extra.ts", `export const extra = 1;\n`);
    await remote.write(
      "mod.ts",
      pluginSource("remote", `import { extra } from "./extra.ts"; void extra;`),
    );
    const error = await loadError(remote, { cacheDir: join(remote.project.dir, "fresh-cache") });
    assertEquals(error?.code, "LOCK_MISMATCH");
    assertStringIncludes(error!.message, `${remote.server.url}extra.ts is a new import`);
  });
});

Deno.test("--frozen refuses a remote plugin the lock does not pin and writes no lock", async () => {
  await withRemote(async (remote) => {
    const error = await loadError(remote, { frozen: true });
    assertEquals(error?.code, "LOCK_MISSING");
    assertStringIncludes(error!.message, `${remote.url} is not in plugins.lock.json`);
    assertEquals(await readText(remote.project.lockFile), null);
  });
});

Deno.test("plugins lock --frozen fails on changed content and keeps the lock; plain lock re-pins", async () => {
  await withRemote(async (remote) => {
    const first = await lockPlugins(remote.project.options());
    assertEquals(first.map((c) => c.change), ["added"]);
    const pinned = await readText(remote.project.lockFile);
    assertEquals(
      (await lockPlugins(remote.project.options({ frozen: true }))).map((c) => c.change),
      ["unchanged"],
    );

    await remote.write("dep.ts", `export const greeting: string = "hello from v2";\n`);
    const error = await assertRejects(
      () => lockPlugins(remote.project.options({ frozen: true })),
      RepocateError,
    );
    assertEquals(error.code, "LOCK_MISMATCH");
    assertStringIncludes(error.message, "--frozen forbids writing it");
    assertEquals(await readText(remote.project.lockFile), pinned);

    const changes = await lockPlugins(remote.project.options());
    assertEquals(changes.map((c) => [c.change, c.modules.map((m) => m.url)]), [
      ["changed", [`${remote.server.url}dep.ts`]],
    ]);
    assertEquals(
      await greetOnce(remote, { cacheDir: join(remote.project.dir, "fresh") }),
      "hello from v2",
    );
  });
});

Deno.test("a plugin's static remote imports run as verified content; dynamic imports need a grant", async () => {
  await withRemote(async (remote) => {
    const runtime = await openRuntime(remote.project.options());
    try {
      assertEquals(await runtime.registry.invoke("remote.greet", {}), "hello from v1");
      const error = await assertRejects(
        () => runtime.registry.invoke("remote.load", { url: `${remote.server.url}dep.ts` }),
        RepocateError,
      );
      assertEquals(error.code, "PERMISSION_DENIED");
      assertStringIncludes(error.message, "permissions.import");
    } finally {
      await runtime.close();
    }
  });
});

Deno.test("plugins add pins and records a remote plugin only after it loads", async () => {
  await withRemote(async (remote) => {
    await remote.project.writeManifest([]);
    const status = await addPlugin(remote.project.options(), {
      source: remote.url,
      name: "remote",
    });
    assertEquals(status.state, "loaded");
    assertEquals(status.actions, ["remote.greet", "remote.load"]);
    const manifest = JSON.parse(await Deno.readTextFile(remote.project.manifestFile));
    assertEquals(manifest.plugins, [{ name: "remote", source: remote.url }]);
    assert((await readLock(remote.project.lockFile)).plugins[remote.url]);

    const again = await assertRejects(
      () => addPlugin(remote.project.options(), { source: remote.url, name: "remote" }),
      RepocateError,
    );
    assertEquals(again.code, "USAGE");

    await removePlugin(remote.project.options(), "remote");
    assertEquals(JSON.parse(await Deno.readTextFile(remote.project.manifestFile)).plugins, []);
    assertEquals((await readLock(remote.project.lockFile)).plugins, {});
  });
});

Deno.test("plugins add of a plugin that fails its checks changes neither manifest nor lock", async () => {
  await withRemote(async (remote) => {
    await remote.project.writeManifest([]);
    await remote.write(
      "broken.ts",
      `export const Ops = { name: "broken", version: "1", apiVersion: "1.0" };\n`,
    );
    const manifestBefore = await readText(remote.project.manifestFile);
    const error = await assertRejects(
      () => addPlugin(remote.project.options(), { source: `${remote.server.url}broken.ts` }),
      RepocateError,
    );
    assertEquals(error.code, "PLUGIN_TYPE_CHECK");
    assertStringIncludes(error.message, "initialize");
    assertEquals(await readText(remote.project.manifestFile), manifestBefore);
    assertEquals(await readText(remote.project.lockFile), null);
  });
});

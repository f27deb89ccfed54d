/**
 * The command line as a user runs it: through the launcher (which derives the host's flags
 * from the manifest), exit statuses, `--json`, `--help`, and one-line errors.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { fromFileUrl, join } from "@std/path";
import { fixture, type TempProject, tempProject } from "./_support/runtime.ts";
import { launcherArgs } from "./_support/launcher.ts";

const ROOT = fromFileUrl(new URL("../", import.meta.url));
const HELLO = join(ROOT, "examples/hello/mod.ts");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `repocate <args>` through launch.ts in `project`'s folder. */
async function repocate(project: TempProject, args: string[], direct?: string[]): Promise<Run> {
  const entry = direct ? ["run", "--quiet", ...direct, join(ROOT, "main.ts")] : launcherArgs();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...entry, ...args],
    cwd: project.dir,
    env: { REPOCATE_CACHE_DIR: project.cacheDir, NO_COLOR: "1" },
    stdin: "null",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

async function withProject(plugins: unknown[], fn: (p: TempProject) => Promise<void>) {
  const project = await tempProject(plugins);
  try {
    await fn(project);
  } finally {
    await project.cleanup();
  }
}

const hello = { name: "hello", source: HELLO, config: { greeting: "Hi" } };

Deno.test("repocate run invokes an action and prints its result", async () => {
  await withProject([hello], async (project) => {
    const run = await repocate(project, ["--no-check", "run", "hello.greet", '{"name":"Ann"}']);
    assertEquals(run.code, 0, run.stderr);
    assertEquals(run.stdout, "Hi, Ann!\n");
  });
});

Deno.test("a process-isolated plugin answers through the launcher, whose env grants are fixed", async () => {
  await withProject([{ ...hello, isolation: "process" }], async (project) => {
    const run = await repocate(project, ["--no-check", "run", "hello.greet", '{"name":"Bo"}']);
    assertEquals(run.code, 0, run.stderr);
    assertEquals(run.stdout, "Hi, Bo!\n");
  });
});

Deno.test("actions list --json describes every action with owner and schema", async () => {
  await withProject([hello], async (project) => {
    const run = await repocate(project, ["--no-check", "actions", "list", "--json"]);
    assertEquals(run.code, 0, run.stderr);
    const actions = JSON.parse(run.stdout);
    assertEquals(actions.map((a: { name: string; owner: string }) => [a.name, a.owner]), [
      ["hello.count", "hello"],
      ["hello.greet", "hello"],
    ]);
    assertEquals(actions[1].inputSchema.required, ["name"]);
  });
});

Deno.test("plugins list shows states, load errors and the union of grants as host flags", async () => {
  await withProject(
    [
      hello,
      {
        name: "thrower",
        source: fixture("probe.ts"),
        config: { initialize: "throw" },
        permissions: { env: ["HOME"] },
      },
    ],
    async (project) => {
      const run = await repocate(project, ["--no-check", "plugins", "list", "--json"]);
      assertEquals(run.code, 0, run.stderr);
      const listed = JSON.parse(run.stdout);
      assertEquals(listed.plugins.map((p: { name: string; state: string }) => [p.name, p.state]), [
        ["hello", "loaded"],
        ["thrower", "failed"],
      ]);
      assertStringIncludes(listed.plugins[1].error.message, "probe refuses to initialize");
      assertEquals(listed.plugins[1].permissions.env, ["HOME"]);
      assertEquals(listed.plugins[1].permissions.net, false);
      assert(
        listed.hostFlags.some((f: string) => f.startsWith("--allow-env=") && f.includes("HOME")),
      );
      assert(!listed.hostFlags.includes("-A") && !listed.hostFlags.includes("--allow-all"));

      const text = await repocate(project, ["--no-check", "plugins", "list"]);
      assertMatch(text.stdout, /thrower\s+failed/);
      assertStringIncludes(text.stdout, "grants union: env=HOME");
    },
  );
});

Deno.test("a bad manifest is one line naming the file and the JSON path, exit 2", async () => {
  await withProject([], async (project) => {
    await Deno.writeTextFile(
      project.manifestFile,
      JSON.stringify({
        version: 1,
        plugins: [{ name: "x", source: "./x.ts", permissions: { reed: true } }],
      }),
    );
    const run = await repocate(project, ["actions", "list"]);
    assertEquals(run.code, 2);
    const lines = run.stderr.trim().split("\n");
    assertEquals(lines.length, 1, run.stderr);
    assertStringIncludes(lines[0], project.manifestFile);
    assertStringIncludes(lines[0], "plugins[0].permissions.reed: unknown key");
  });
});

Deno.test("a missing plugin file is reported at its JSON path", async () => {
  await withProject([{ name: "ghost", source: "./ghost.ts" }], async (project) => {
    const run = await repocate(project, ["plugins", "list"]);
    assertEquals(run.code, 2);
    assertStringIncludes(
      run.stderr,
      `plugins[0].source: file not found: ${join(project.dir, "ghost.ts")}`,
    );
  });
});

Deno.test("an unknown action and invalid JSON input exit 2 with one line", async () => {
  await withProject([hello], async (project) => {
    const unknown = await repocate(project, ["--no-check", "run", "hello.wave"]);
    assertEquals(unknown.code, 2);
    assertStringIncludes(
      unknown.stderr,
      'no action "hello.wave" (did you mean hello.count, hello.greet?)',
    );
    const bad = await repocate(project, ["--no-check", "run", "hello.greet", "{name"]);
    assertEquals(bad.code, 2);
    assertStringIncludes(bad.stderr, "input is not valid JSON");
    const invalid = await repocate(project, ["--no-check", "run", "hello.greet", '{"name":7}']);
    assertEquals(invalid.code, 2);
    assertStringIncludes(invalid.stderr, "input.name: must be string");
  });
});

Deno.test("a failing action exits 1 naming the plugin", async () => {
  await withProject([{ name: "probe", source: fixture("probe.ts") }], async (project) => {
    const run = await repocate(project, [
      "--no-check",
      "run",
      "probe.fail",
      '{"message":"no luck"}',
    ]);
    assertEquals(run.code, 1);
    assertStringIncludes(run.stderr, 'repocate: plugin "probe": no luck');
  });
});

Deno.test("plugins add and remove edit the manifest; a plugin's actions come and go", async () => {
  await withProject([], async (project) => {
    const add = await repocate(project, ["plugins", "add", HELLO, "--config", '{"greeting":"Yo"}']);
    assertEquals(add.code, 0, add.stderr);
    assertStringIncludes(add.stdout, "added hello 1.0.0 (2 actions)");
    const manifest = JSON.parse(await Deno.readTextFile(project.manifestFile));
    assertEquals(manifest.plugins[0].name, "hello");
    assertEquals(manifest.plugins[0].config, { greeting: "Yo" });
    const greet = await repocate(project, ["run", "hello.greet", '{"name":"Bo"}']);
    assertEquals(greet.stdout, "Yo, Bo!\n");

    const removed = await repocate(project, ["plugins", "remove", "hello"]);
    assertEquals(removed.code, 0, removed.stderr);
    const after = await repocate(project, ["actions", "list", "--json"]);
    assertEquals(JSON.parse(after.stdout), []);
    const missing = await repocate(project, ["plugins", "remove", "hello"]);
    assertEquals(missing.code, 2);
    assertStringIncludes(missing.stderr, 'no plugin "hello"');
  });
});

Deno.test("plugins check refuses a plugin whose Ops does not satisfy Operation, exit 1", async () => {
  await withProject(
    [hello, { name: "not-operation", source: fixture("not_operation.ts") }],
    async (project) => {
      const run = await repocate(project, ["plugins", "check", "--json"]);
      assertEquals(run.code, 1);
      const results = JSON.parse(run.stdout);
      assertEquals(results.map((r: { name: string; ok: boolean }) => [r.name, r.ok]), [
        ["hello", true],
        ["not-operation", false],
      ]);
      assertEquals(results[1].error.code, "PLUGIN_TYPE_CHECK");
      assertStringIncludes(run.stderr, "1 of 2 plugins failed the check (not-operation)");
    },
  );
});

Deno.test("a host started without a plugin's grants says which flag it lacks", async () => {
  await withProject(
    [{ name: "probe", source: fixture("probe.ts"), permissions: { net: ["127.0.0.1:9"] } }],
    async (project) => {
      const run = await repocate(project, ["--no-check", "plugins", "list", "--json"], [
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "--allow-run",
      ]);
      assertEquals(run.code, 0, run.stderr);
      const probe = JSON.parse(run.stdout).plugins[0];
      assertEquals(probe.error.code, "HOST_PERMISSIONS");
      assertStringIncludes(probe.error.message, "--allow-net=127.0.0.1:9");
      assertStringIncludes(probe.error.message, "deno task start");
    },
  );
});

for (
  const command of [[], ["plugins"], ["plugins", "list"], ["plugins", "add"], ["plugins", "lock"], [
    "actions",
    "list",
  ], ["run"]]
) {
  Deno.test(`repocate ${command.join(" ") || "(top)"} --help prints usage and exits 0`, async () => {
    await withProject([], async (project) => {
      const run = await repocate(project, [...command, "--help"]);
      assertEquals(run.code, 0, run.stderr);
      assertStringIncludes(run.stdout, "Usage: repocate");
    });
  });
}

import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { resolve } from "@std/path";
import { RepocateError } from "../errors.ts";
import { formatJsonPath, type ManifestVars, parseManifest } from "./parse.ts";

/** An absolute manifest path, so resolved paths do not depend on the working directory. */
const FILE = "/srv/conf/plugins.json";

function manifestText(plugins: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ version: 1, plugins, ...extra });
}

/** Parses `text` expecting failure; checks the error's class, code, prefix and one-line form. */
function faultOf(text: string, vars: ManifestVars = {}, file = FILE): string {
  const error = assertThrows(() => parseManifest(text, file, vars), RepocateError);
  assertEquals(error.code, "MANIFEST_INVALID");
  assert(error.isUsage, "a manifest fault is the caller's fault");
  assert(error.message.startsWith(`${file}: `), `message starts with the file: ${error.message}`);
  assert(!error.message.includes("\n"), `message is one line: ${JSON.stringify(error.message)}`);
  return error.message;
}

Deno.test("a minimal entry gets every permission key false and the documented defaults", () => {
  const manifest = parseManifest(manifestText([{ name: "hello", source: "./hello.ts" }]), FILE);
  assertEquals(manifest, {
    file: FILE,
    plugins: [{
      name: "hello",
      sourceText: "./hello.ts",
      source: { kind: "local", path: "/srv/conf/hello.ts", url: "file:///srv/conf/hello.ts" },
      description: undefined,
      enabled: true,
      permissions: {
        read: false,
        write: false,
        net: false,
        env: false,
        run: false,
        sys: false,
        ffi: false,
        import: false,
      },
      timeouts: { initMs: 10_000, callMs: 600_000 },
      isolation: "worker",
      config: {},
    }],
  });
});

Deno.test("explicit enabled, description, timeouts and config are kept", () => {
  const [entry] = parseManifest(
    manifestText([{
      name: "p",
      source: "/opt/p.ts",
      description: "does things",
      enabled: false,
      timeouts: { initMs: 50 },
      config: { depth: 3, tags: ["a"], deep: { on: true, none: null } },
    }]),
    FILE,
  ).plugins;
  assertEquals(entry.enabled, false);
  assertEquals(entry.description, "does things");
  assertEquals(entry.timeouts, { initMs: 50, callMs: 600_000 });
  assertEquals(entry.config, { depth: 3, tags: ["a"], deep: { on: true, none: null } });
  assertEquals(entry.source, { kind: "local", path: "/opt/p.ts", url: "file:///opt/p.ts" });
});

Deno.test("read and write paths are resolved against the manifest's folder, deduplicated and sorted", () => {
  const [entry] = parseManifest(
    manifestText([{
      name: "p",
      source: "p.ts",
      permissions: {
        read: ["b", "./a", "/abs/x", "a", "sub/../b"],
        write: ["../out", "/tmp"],
        net: ["b.example:443", "a.example", "a.example"],
        env: ["PATH", "HOME", "PATH"],
        run: ["git", "./bin/tool", "/usr/bin/docker"],
        sys: true,
        ffi: false,
      },
    }]),
    FILE,
  ).plugins;
  assertEquals(entry.permissions, {
    read: ["/abs/x", "/srv/conf/a", "/srv/conf/b"],
    write: ["/srv/out", "/tmp"],
    net: ["a.example", "b.example:443"],
    env: ["HOME", "PATH"],
    run: ["/srv/conf/bin/tool", "/usr/bin/docker", "git"],
    sys: true,
    ffi: false,
    import: false,
  });
});

Deno.test("a relative manifest file name is resolved for the manifest but kept in messages", () => {
  const manifest = parseManifest(
    manifestText([{ name: "p", source: "p.ts", permissions: { read: ["data"] } }]),
    "plugins.json",
  );
  assertEquals(manifest.file, resolve("plugins.json"));
  assertEquals(manifest.plugins[0].permissions.read, [resolve("data")]);
  assertEquals(manifest.plugins[0].source.kind, "local");

  const message = faultOf("{", {}, "plugins.json");
  assert(message.startsWith("plugins.json: not valid JSON"), message);
});

Deno.test("${NAME} variables expand in permissions, sources and config strings", () => {
  const vars = { HOME: "/home/u", DOCKER_SOCKET: "/run/docker.sock" };
  const [entry] = parseManifest(
    manifestText([{
      name: "p",
      source: "${HOME}/plugins/p.ts",
      permissions: {
        read: ["${HOME}/.gitconfig", "rel/${HOME}"],
        write: ["${DOCKER_SOCKET}"],
        env: ["${HOME}"],
      },
      config: {
        dir: "${HOME}/src",
        literal: "$HOME and ${home} stay as written",
        nested: { list: ["${HOME}", 3, true, null] },
      },
    }]),
    FILE,
    vars,
  ).plugins;
  assertEquals(entry.sourceText, "${HOME}/plugins/p.ts");
  assertEquals(entry.source, {
    kind: "local",
    path: "/home/u/plugins/p.ts",
    url: "file:///home/u/plugins/p.ts",
  });
  assertEquals(entry.permissions.read, ["/home/u/.gitconfig", "/srv/conf/rel/home/u"]);
  assertEquals(entry.permissions.write, ["/run/docker.sock"]);
  assertEquals(entry.permissions.env, ["/home/u"]);
  assertEquals(entry.config, {
    dir: "/home/u/src",
    literal: "$HOME and ${home} stay as written",
    nested: { list: ["/home/u", 3, true, null] },
  });
});

Deno.test("an unknown variable is reported with the JSON path of the string using it", () => {
  const message = faultOf(
    manifestText([{
      name: "p",
      source: "p.ts",
      permissions: { read: ["/ok", "${NOPE}/x"] },
      config: { a: { b: ["fine", "${MISSING}"] }, "odd key": "${ALSO_MISSING}" },
    }]),
    { HOME: "/home/u" },
  );
  assertStringIncludes(
    message,
    "plugins[0].permissions.read[1]: unknown variable ${NOPE} (known: HOME)",
  );
  assertStringIncludes(message, "plugins[0].config.a.b[1]: unknown variable ${MISSING}");
  assertStringIncludes(message, 'plugins[0].config["odd key"]: unknown variable ${ALSO_MISSING}');
});

Deno.test("an unknown variable in a source is reported at the source", () => {
  const message = faultOf(manifestText([{ name: "p", source: "${WHERE}/p.ts" }]));
  assertStringIncludes(message, "plugins[0].source: unknown variable ${WHERE}");
});

Deno.test("text that is not JSON is reported as not valid JSON", () => {
  const message = faultOf('{"version": 1, "plugins": [}');
  assert(message.startsWith(`${FILE}: not valid JSON: `), message);
});

Deno.test("an unknown top-level key is reported by name", () => {
  const message = faultOf(manifestText([], { extra: true }));
  assertEquals(message, `${FILE}: extra: unknown key`);
});

Deno.test("an unknown key in an entry is reported with its JSON path", () => {
  const message = faultOf(
    manifestText([{ name: "p", source: "p.ts", permisions: { read: true } }]),
  );
  assertEquals(message, `${FILE}: plugins[0].permisions: unknown key`);
});

Deno.test("a misspelt permission name is reported with its JSON path", () => {
  const message = faultOf(
    manifestText([{ name: "p", source: "p.ts", permissions: { reed: true } }]),
  );
  assertEquals(message, `${FILE}: plugins[0].permissions.reed: unknown key`);
});

Deno.test("a permission value that is neither boolean nor a list of strings is refused", () => {
  for (const bad of ["yes", 1, null, { host: "x" }, [1, 2]]) {
    const message = faultOf(
      manifestText([
        { name: "a", source: "a.ts" },
        { name: "b", source: "b.ts", permissions: { net: bad } },
      ]),
    );
    assertEquals(
      message,
      `${FILE}: plugins[1].permissions.net: must be true, false or a list of strings`,
      `for ${JSON.stringify(bad)}`,
    );
  }
});

Deno.test("an empty string in a permission list is reported at its index", () => {
  const message = faultOf(
    manifestText([{ name: "a", source: "a.ts", permissions: { read: ["/ok", ""] } }]),
  );
  assertStringIncludes(message, `${FILE}: plugins[0].permissions.read[1]: `);
});

Deno.test("a duplicate plugin name is reported naming both indexes", () => {
  const message = faultOf(
    manifestText([
      { name: "dup", source: "a.ts" },
      { name: "other", source: "b.ts" },
      { name: "dup", source: "c.ts" },
    ]),
  );
  assertEquals(
    message,
    `${FILE}: plugins[2].name: duplicate plugin name "dup" (first at plugins[0])`,
  );
});

Deno.test("a plugin name outside the naming rule is refused", () => {
  for (const bad of ["Bad", "1st", "has_underscore", "", "a".repeat(41)]) {
    const message = faultOf(manifestText([{ name: bad, source: "p.ts" }]));
    assertStringIncludes(message, "plugins[0].name: must match ^[a-z][a-z0-9-]{0,39}$");
  }
  const ok = parseManifest(manifestText([{ name: "a" + "-9".repeat(19), source: "p.ts" }]), FILE);
  assertEquals(ok.plugins[0].name.length, 39);
});

Deno.test("an http source on a non-loopback host is refused with a hint to use https", () => {
  const message = faultOf(manifestText([{ name: "p", source: "http://example.com/p.ts" }]));
  assertStringIncludes(
    message,
    'plugins[0].source: "http://example.com/p.ts" uses http: for a non-loopback host; use https:',
  );
  faultOf(manifestText([{ name: "p", source: "http://128.0.0.1/p.ts" }]));
  faultOf(manifestText([{ name: "p", source: "http://localhost.example.com/p.ts" }]));
});

Deno.test("https sources and http sources on loopback hosts are accepted as remote", () => {
  const sources = {
    "https://example.com/p@1.0.0/mod.ts": "https://example.com/p@1.0.0/mod.ts",
    "http://127.0.0.1:8000/p.ts": "http://127.0.0.1:8000/p.ts",
    "http://127.4.5.6/p.ts": "http://127.4.5.6/p.ts",
    "http://localhost:8000/p.ts": "http://localhost:8000/p.ts",
    "http://LOCALHOST/p.ts": "http://localhost/p.ts",
    "http://[::1]:8000/p.ts": "http://[::1]:8000/p.ts",
  };
  for (const [text, url] of Object.entries(sources)) {
    const [entry] = parseManifest(manifestText([{ name: "p", source: text }]), FILE).plugins;
    assertEquals(entry.source, { kind: "remote", url }, text);
    assertEquals(entry.sourceText, text);
  }
});

Deno.test("a file: URL source is a local source", () => {
  const [entry] = parseManifest(
    manifestText([{ name: "p", source: "file:///opt/plugins/p.ts" }]),
    FILE,
  ).plugins;
  assertEquals(entry.source, {
    kind: "local",
    path: "/opt/plugins/p.ts",
    url: "file:///opt/plugins/p.ts",
  });
});

Deno.test("a source with an unsupported scheme is refused naming the scheme", () => {
  for (const [text, scheme] of [["ftp://example.com/p.ts", "ftp:"], ["jsr:@x/p", "jsr:"]]) {
    const message = faultOf(manifestText([{ name: "p", source: text }]));
    assertStringIncludes(message, `plugins[0].source: "${text}" has unsupported scheme ${scheme}`);
  }
});

Deno.test("a source URL carrying credentials is refused", () => {
  for (const text of ["https://user:secret@example.com/p.ts", "https://token@example.com/p.ts"]) {
    const message = faultOf(manifestText([{ name: "p", source: text }]));
    assertStringIncludes(message, "plugins[0].source: ");
    assertStringIncludes(message, "must not carry credentials");
  }
});

Deno.test("a manifest version other than 1 is refused", () => {
  for (const version of [2, "1", 0]) {
    const message = faultOf(JSON.stringify({ version, plugins: [] }));
    assert(message.startsWith(`${FILE}: version: `), message);
  }
  const message = faultOf(JSON.stringify({ plugins: [] }));
  assert(message.startsWith(`${FILE}: version: `), message);
});

Deno.test("a missing plugins list and a non-object manifest are refused", () => {
  assertStringIncludes(faultOf(JSON.stringify({ version: 1 })), "plugins: ");
  assertStringIncludes(faultOf("[]"), "(root): ");
});

Deno.test("out-of-range timeouts are reported with their JSON path", () => {
  const message = faultOf(
    manifestText([{ name: "p", source: "p.ts", timeouts: { initMs: 5, callMs: 1.5, total: 1 } }]),
  );
  assertStringIncludes(message, "plugins[0].timeouts.initMs: ");
  assertStringIncludes(message, "plugins[0].timeouts.callMs: ");
  assertStringIncludes(message, "plugins[0].timeouts.total: unknown key");
});

Deno.test("isolation defaults to process for remote sources and worker for local ones", () => {
  const plugins = parseManifest(
    manifestText([
      { name: "near", source: "p.ts" },
      { name: "far", source: "https://plugins.example/p.ts" },
      { name: "capped", source: "p.ts", isolation: "process", memoryMb: 256 },
      { name: "trusted", source: "https://plugins.example/p.ts", isolation: "worker" },
    ]),
    FILE,
  ).plugins;
  assertEquals(plugins.map((p) => [p.name, p.isolation, p.memoryMb]), [
    ["near", "worker", undefined],
    ["far", "process", undefined],
    ["capped", "process", 256],
    ["trusted", "worker", undefined],
  ]);
});

Deno.test("bad isolation and memoryMb values are named with their JSON path", () => {
  const message = faultOf(
    manifestText([{ name: "p", source: "p.ts", isolation: "vm", memoryMb: 8 }]),
  );
  assertStringIncludes(message, "plugins[0].isolation: ");
  assertStringIncludes(message, "plugins[0].memoryMb: ");
  assertStringIncludes(
    faultOf(manifestText([{ name: "p", source: "p.ts", memoryMb: 64 }])),
    `plugins[0].memoryMb: needs "isolation": "process"`,
  );
});

Deno.test("several schema faults are all listed in one line", () => {
  const message = faultOf(
    manifestText([
      { name: "a", source: "a.ts", permisions: {} },
      { name: "b", source: "b.ts", permissions: { net: "yes", reed: true } },
    ], { extra: 1 }),
  );
  for (
    const part of [
      "extra: unknown key",
      "plugins[0].permisions: unknown key",
      "plugins[1].permissions.net: must be true, false or a list of strings",
      "plugins[1].permissions.reed: unknown key",
    ]
  ) assertStringIncludes(message, part);
  assertEquals(message.split("; ").length, 4, message);
});

Deno.test("several faults found while normalizing are all listed in one line", () => {
  const message = faultOf(
    manifestText([
      { name: "a", source: "http://example.com/a.ts" },
      { name: "a", source: "a.ts", permissions: { read: ["${NOPE}"] } },
    ]),
  );
  for (
    const part of [
      'plugins[0].source: "http://example.com/a.ts" uses http:',
      'plugins[1].name: duplicate plugin name "a" (first at plugins[0])',
      "plugins[1].permissions.read[0]: unknown variable ${NOPE}",
    ]
  ) assertStringIncludes(message, part);
});

Deno.test("formatJsonPath writes paths the way JavaScript would", () => {
  assertEquals(formatJsonPath([]), "(root)");
  assertEquals(
    formatJsonPath(["plugins", 1, "permissions", "read", 0]),
    "plugins[1].permissions.read[0]",
  );
  assertEquals(formatJsonPath(["config", "a-b", "$ok"]), 'config["a-b"].$ok');
  assertEquals(formatJsonPath([0, "x"]), "[0].x");
});

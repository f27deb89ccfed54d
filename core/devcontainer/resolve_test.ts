import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { dirname, join } from "@std/path";
import { RepocateError } from "../../errors.ts";
import { defaultPlan, planFromConfig, resolvePlan } from "./resolve.ts";
import { emptyRunArgs } from "./run_args.ts";
import type { EnvironmentPlan } from "./types.ts";

const REPO = "/src/my-app";
const FILE = `${REPO}/.devcontainer/devcontainer.json`;
const ENV = { HOME: "/home/ada", USER: "ada" };

function plan(config: unknown, file = FILE): EnvironmentPlan {
  const text = typeof config === "string" ? config : JSON.stringify(config);
  return planFromConfig({ text, file, repoDir: REPO, name: "app", env: ENV });
}

/** Expects a fault; checks code, one line and the file prefix; returns the text after it. */
function faultOf(config: unknown, file = FILE): string {
  const error = assertThrows(() => plan(config, file), RepocateError);
  assertEquals(error.code, "INPUT_INVALID");
  assert(error.isUsage);
  assert(!error.message.includes("\n"), `one line: ${JSON.stringify(error.message)}`);
  assert(error.message.startsWith(`${file}: `), error.message);
  return error.message.slice(file.length + 2);
}

Deno.test("an image config gets the documented defaults", () => {
  assertEquals(plan({ image: "debian:12" }), {
    source: "devcontainer",
    configFile: FILE,
    image: "debian:12",
    containerEnv: {},
    remoteEnv: {},
    forwardPorts: [],
    mounts: [],
    workspaceFolder: "/workspaces/app",
    runArgs: emptyRunArgs(),
    warnings: [],
  });
});

Deno.test("build paths are relative to the devcontainer.json folder", () => {
  const { build, image } = plan({
    build: { dockerfile: "Dockerfile", context: "..", args: { V: "1" }, target: "dev" },
  });
  assertEquals(image, undefined);
  assertEquals(build, {
    context: REPO,
    dockerfile: ".devcontainer/Dockerfile",
    args: { V: "1" },
    target: "dev",
  });
});

Deno.test("without a context the Dockerfile's folder is the context, as in devcontainers/cli", () => {
  assertEquals(plan({ build: { dockerfile: "Dockerfile" } }).build, {
    context: `${REPO}/.devcontainer`,
    dockerfile: "Dockerfile",
    args: {},
  });
  assertEquals(
    plan({ build: { dockerfile: "../docker/Dockerfile.dev" } }).build?.context,
    `${REPO}/docker`,
  );
});

Deno.test("a root .devcontainer.json resolves paths from the repository root", () => {
  const { build } = plan(
    { build: { dockerfile: "docker/Dockerfile", context: "." } },
    `${REPO}/.devcontainer.json`,
  );
  assertEquals(build, { context: REPO, dockerfile: "docker/Dockerfile", args: {} });
});

Deno.test("the legacy dockerFile and context are honoured and win over build.*", () => {
  const legacy = plan({ dockerFile: "Dockerfile", context: "..", build: { args: { A: "b" } } });
  assertEquals(legacy.build, {
    context: REPO,
    dockerfile: ".devcontainer/Dockerfile",
    args: { A: "b" },
  });
  const both = plan({ dockerFile: "Dockerfile", build: { dockerfile: "Other" } });
  assertEquals(both.build?.dockerfile, "Dockerfile");
  assertEquals(both.warnings, ["build.dockerfile: ignored; the legacy dockerFile is set and wins"]);
});

Deno.test("a Dockerfile wins over image, which is named in a warning", () => {
  const p = plan({ image: "debian", build: { dockerfile: "Dockerfile" } });
  assertEquals(p.image, undefined);
  assertEquals(p.build?.dockerfile, "Dockerfile");
  assertEquals(p.warnings, ["image: ignored; the Dockerfile build wins, as in devcontainers/cli"]);
});

Deno.test("a build without a Dockerfile next to an image is ignored with a warning", () => {
  const p = plan({ image: "debian", build: { args: { A: "1" } } });
  assertEquals([p.image, p.build], ["debian", undefined]);
  assertEquals(p.warnings, ["build: ignored without build.dockerfile; image is used"]);
});

Deno.test("neither image nor Dockerfile is a fault naming the file", () => {
  assertEquals(faultOf({ name: "x" }), "(root): set image or build.dockerfile");
  assertEquals(faultOf({ build: { context: ".." } }), "build.dockerfile: required (or set image)");
  assertEquals(
    faultOf({ dockerComposeFile: "compose.yml", service: "app" }),
    "dockerComposeFile: Docker Compose configurations are not supported; set image or build.dockerfile",
  );
});

Deno.test("a context or Dockerfile outside the repository is a fault", () => {
  assertEquals(
    faultOf({ build: { dockerfile: "Dockerfile", context: "../.." } }),
    "build.context: must lie inside the repository: /src",
  );
  assertEquals(
    faultOf({ dockerFile: "../../Dockerfile", context: "." }),
    "dockerFile: must lie inside the repository: /src/Dockerfile",
  );
});

Deno.test("every honoured property is normalized", () => {
  const p = plan(`{
    // JSONC is fine here
    "image": "node:22",
    "containerEnv": { "NODE_ENV": "development" },
    "remoteEnv": { "PATH": "\${containerEnv:PATH}:/opt/bin", "GONE": null },
    "forwardPorts": [3000, "db:5432", 3000],
    "mounts": [
      "source=\${localEnv:HOME}/.ssh,target=/home/node/.ssh,type=bind,readonly",
      { "type": "volume", "source": "app-cache", "target": "/cache" },
    ],
    "workspaceFolder": "/work/\${localWorkspaceFolderBasename}",
    "remoteUser": "node",
    "containerUser": "root",
    "onCreateCommand": "npm ci",
    "updateContentCommand": ["npm", "run", "build"],
    "postCreateCommand": { "a": "echo a", "b": ["echo", "b"] },
    "postStartCommand": "cd \${containerWorkspaceFolder} && npm start",
    "runArgs": ["--cap-add=SYS_PTRACE", "-v", "/tmp:/host-tmp", "--env", "USER"],
    "capAdd": ["NET_ADMIN"],
    "securityOpt": ["seccomp=unconfined"],
    "privileged": false,
    "init": true,
  }`);
  assertEquals(p, {
    source: "devcontainer",
    configFile: FILE,
    image: "node:22",
    containerEnv: { NODE_ENV: "development" },
    remoteEnv: { PATH: "${containerEnv:PATH}:/opt/bin" },
    forwardPorts: [3000, 5432],
    mounts: [
      { type: "bind", source: "/home/ada/.ssh", target: "/home/node/.ssh", readonly: true },
      { type: "volume", source: "app-cache", target: "/cache", readonly: false },
      { type: "bind", source: "/tmp", target: "/host-tmp", readonly: false },
    ],
    workspaceFolder: "/work/my-app",
    remoteUser: "node",
    containerUser: "root",
    onCreateCommand: { kind: "shell", command: "npm ci" },
    updateContentCommand: { kind: "exec", argv: ["npm", "run", "build"] },
    postCreateCommand: {
      kind: "parallel",
      commands: {
        a: { kind: "shell", command: "echo a" },
        b: { kind: "exec", argv: ["echo", "b"] },
      },
    },
    postStartCommand: { kind: "shell", command: "cd /work/my-app && npm start" },
    runArgs: {
      ...emptyRunArgs(),
      capAdd: ["NET_ADMIN", "SYS_PTRACE"],
      securityOpt: ["seccomp=unconfined"],
      init: true,
      env: { USER: "ada" },
    },
    warnings: ["remoteEnv.GONE: null (unset the variable) is not supported; ignored"],
  });
});

Deno.test("variables resolve from the env map passed in, with localEnv defaults", () => {
  const p = plan({
    image: "debian:${localEnv:DEBIAN_TAG:12}",
    containerEnv: {
      WS: "${localWorkspaceFolder}",
      CWS: "${containerWorkspaceFolder}",
      BASE: "${containerWorkspaceFolderBasename}",
      MISSING: "[${localEnv:NOT_SET}]",
      WHO: "${localEnv:USER}",
    },
  });
  assertEquals(p.image, "debian:12");
  assertEquals(p.containerEnv, {
    WS: REPO,
    CWS: "/workspaces/app",
    BASE: "app",
    MISSING: "[]",
    WHO: "ada",
  });
});

Deno.test("unsupported and unknown properties are warnings; editor-only ones are silent", () => {
  const p = plan({
    name: "x",
    $schema: "https://x",
    customizations: { vscode: { settings: { a: "${workspaceFolder}" } } },
    portsAttributes: {},
    image: "debian",
    features: { "ghcr.io/devcontainers/features/node:1": {}, "ghcr.io/x/y:2": {} },
    dockerComposeFile: "compose.yml",
    postAttachCommand: "echo attached",
    initializeCommand: "rm -rf ~",
    appPort: 3000,
    overrideCommand: false,
    frobnicate: true,
    containerEnv: { ID: "${devcontainerId}" },
  });
  assertEquals(p.image, "debian");
  assertEquals(p.warnings, [
    "features: dev container features are not supported; they are not installed " +
    "(ghcr.io/devcontainers/features/node:1, ghcr.io/x/y:2)",
    "dockerComposeFile: Docker Compose configurations are not supported",
    "postAttachCommand: repocate attaches no editor; not run",
    "initializeCommand: runs on the host; not supported, not run",
    "appPort: not supported; use forwardPorts",
    "frobnicate: unknown property; ignored",
    "overrideCommand: false is not supported; repocate keeps the container running itself",
    "containerEnv.ID: variable ${devcontainerId} is not supported; left as is",
  ]);
});

Deno.test("unsupported build keys and runArgs flags are warnings", () => {
  const p = plan({
    build: { dockerfile: "Dockerfile", cacheFrom: "x", options: ["--pull"], secret: 1 },
    runArgs: ["--gpus=all"],
  });
  assertEquals(p.warnings, [
    "build.cacheFrom: not supported; the build uses the local cache only",
    "build.options: extra docker build flags are not supported",
    "build.secret: unknown property; ignored",
    'runArgs[0]: docker run flag "--gpus=all" is not supported; ignored',
  ]);
});

Deno.test("bad values are one fault each, naming the JSON path", () => {
  assertEquals(
    faultOf({
      image: "",
      containerEnv: { A: 1 },
      forwardPorts: [true],
      mounts: [{ type: "bind" }],
      postCreateCommand: 5,
      init: "yes",
    }),
    [
      "image: must not be empty",
      "containerEnv.A: Invalid input: expected string, received number",
      'forwardPorts[0]: must be a port number or "host:port"',
      'mounts[0]: must be a mount string "source=...,target=...,type=..." or an object',
      "postCreateCommand: must be a string, an array of strings, or an object of those",
      "init: Invalid input: expected boolean, received string",
    ].join("; "),
  );
});

Deno.test("semantic faults are collected across properties", () => {
  assertEquals(
    faultOf({
      image: "debian",
      forwardPorts: [70000],
      mounts: ["source=rel,target=/x,type=bind"],
      workspaceFolder: "relative",
      runArgs: ["--cap-add"],
    }),
    [
      "workspaceFolder: must be an absolute path: relative",
      "mounts[0]: bind mount source must be an absolute path: rel",
      "runArgs[0]: --cap-add needs a value",
      "forwardPorts[0]: port must be an integer from 1 to 65535, not 70000",
    ].join("; "),
  );
});

Deno.test("a non-object config and a JSONC syntax error are faults naming the file", () => {
  assertEquals(faultOf("[1]"), "(root): must be a JSON object");
  const error = assertThrows(() => plan('{\n  "image": debian\n}'), RepocateError);
  assertEquals(error.message, `${FILE}:2:12: not valid JSONC: invalid symbol (and 1 more)`);
});

/** Runs `fn` in a fresh temp repo holding `files` (path -> text), then removes it. */
async function withRepo(
  files: Record<string, string>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-resolve-" });
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

const OPTIONS = { name: "app", defaultImage: "repocate/base:1", env: ENV };

Deno.test("resolvePlan falls back to the default image", async () => {
  await withRepo({ "README.md": "hi" }, async (dir) => {
    assertEquals(
      await resolvePlan({ ...OPTIONS, repoDir: dir }),
      defaultPlan("app", "repocate/base:1"),
    );
  });
});

Deno.test("resolvePlan builds a root Dockerfile with the repository as context", async () => {
  await withRepo({ Dockerfile: "FROM debian" }, async (dir) => {
    const p = await resolvePlan({ ...OPTIONS, repoDir: dir });
    assertEquals([p.source, p.image, p.configFile], ["dockerfile", undefined, undefined]);
    assertEquals(p.build, { context: dir, dockerfile: "Dockerfile", args: {} });
  });
});

Deno.test("resolvePlan reads the devcontainer.json it finds", async () => {
  await withRepo({
    ".devcontainer/devcontainer.json": '{ "build": { "dockerfile": "Dockerfile", }, }',
    ".devcontainer/Dockerfile": "FROM debian",
  }, async (dir) => {
    const p = await resolvePlan({ ...OPTIONS, repoDir: dir });
    assertEquals(p.configFile, join(dir, ".devcontainer/devcontainer.json"));
    assertEquals(p.build?.context, join(dir, ".devcontainer"));
  });
});

Deno.test("resolvePlan faults a missing Dockerfile under the key that names it", async () => {
  await withRepo({ ".devcontainer.json": '{ "dockerFile": "nope/Dockerfile" }' }, async (dir) => {
    const file = join(dir, ".devcontainer.json");
    await assertRejects(
      () => resolvePlan({ ...OPTIONS, repoDir: dir }),
      RepocateError,
      `${file}: context: no such folder: ${dir}/nope; dockerFile: no such file: ${dir}/nope/Dockerfile`,
    );
  });
});

Deno.test("resolvePlan warns when several nested configs leave none chosen", async () => {
  await withRepo({
    ".devcontainer/a/devcontainer.json": "{}",
    ".devcontainer/b/devcontainer.json": "{}",
  }, async (dir) => {
    const p = await resolvePlan({ ...OPTIONS, repoDir: dir });
    assertEquals(p.source, "default");
    assertEquals(p.warnings, [
      ".devcontainer/a/devcontainer.json, .devcontainer/b/devcontainer.json: " +
      "several dev container configurations found; none chosen",
    ]);
  });
});

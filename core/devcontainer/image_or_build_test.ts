import { assertEquals } from "@std/assert";
import { imageOrBuild, isInside } from "./image_or_build.ts";
import type { DevcontainerConfig } from "./schema.ts";

const REPO = "/src/app";
const FILE = `${REPO}/.devcontainer/devcontainer.json`;

function run(config: DevcontainerConfig) {
  const faults: string[] = [];
  const warnings: string[] = [];
  return { ...imageOrBuild(config, FILE, REPO, faults, warnings), faults, warnings };
}

Deno.test("isInside accepts the folder and what lies below it, nothing else", () => {
  assertEquals(
    ["/src/app", "/src/app/a/b", "/src/app2", "/src", "/src/app/../x", "/src/app/..dots"].map(
      (path) => isInside(REPO, path),
    ),
    [true, true, false, false, false, true],
  );
});

Deno.test("the build keys follow the legacy dockerFile when it is set", () => {
  const legacy = run({ dockerFile: "Dockerfile" });
  assertEquals([legacy.dockerfileKey, legacy.contextKey], ["dockerFile", "context"]);
  const modern = run({ build: { dockerfile: "Dockerfile" } });
  assertEquals([modern.dockerfileKey, modern.contextKey], ["build.dockerfile", "build.context"]);
});

Deno.test("a top-level context without dockerFile is ignored with a warning", () => {
  const out = run({ build: { dockerfile: "Dockerfile" }, context: ".." });
  assertEquals(out.build?.context, `${REPO}/.devcontainer`);
  assertEquals(out.warnings, ["context: ignored without the legacy dockerFile; use build.context"]);
});

Deno.test("a Dockerfile outside its context is kept relative with ../", () => {
  const out = run({ build: { dockerfile: "Dockerfile", context: "../src" } });
  assertEquals(out.build, {
    context: `${REPO}/src`,
    dockerfile: "../.devcontainer/Dockerfile",
    args: {},
  });
  assertEquals(out.faults, []);
});

import { assertEquals } from "@std/assert";
import { containerLookup, localLookup, substitute } from "./substitute.ts";

const ENV = { HOME: "/home/ada", EMPTY: "" };

Deno.test("local variables resolve from the env map and the host workspace folder", () => {
  const faults: string[] = [];
  const out = substitute({
    a: "${localEnv:HOME}/.ssh",
    b: ["${env:HOME}", "${localWorkspaceFolder}", "${localWorkspaceFolderBasename}"],
    "${localEnv:HOME}": "keys are not substituted",
  }, localLookup("/src/my-app", ENV, faults));
  assertEquals(out, {
    a: "/home/ada/.ssh",
    b: ["/home/ada", "/src/my-app", "my-app"],
    "${localEnv:HOME}": "keys are not substituted",
  });
  assertEquals(faults, []);
});

Deno.test("a missing localEnv variable takes its default, else the empty string", () => {
  const lookup = localLookup("/src/app", ENV, []);
  assertEquals(substitute("[${localEnv:NOPE}]", lookup), "[]");
  assertEquals(substitute("${localEnv:NOPE:fallback}", lookup), "fallback");
  assertEquals(substitute("${localEnv:NOPE:http://x:8080}", lookup), "http://x:8080");
  assertEquals(substitute("${localEnv:EMPTY:unused}", lookup), "", "set but empty is set");
});

Deno.test("localEnv without a name is a fault at its JSON path", () => {
  const faults: string[] = [];
  substitute({ containerEnv: { A: "${localEnv}" } }, localLookup("/src/app", ENV, faults));
  assertEquals(faults, ["containerEnv.A: ${localEnv} names no variable"]);
});

Deno.test("container variables resolve; containerEnv stays; others stay and are reported", () => {
  const warnings: string[] = [];
  const out = substitute({
    a: "${containerWorkspaceFolder}/x ${containerWorkspaceFolderBasename}",
    b: "${containerEnv:PATH}:/opt/bin",
    c: ["${devcontainerId}", "${devcontainerId}"],
    n: 3,
  }, containerLookup("/workspaces/app", warnings));
  assertEquals(out, {
    a: "/workspaces/app/x app",
    b: "${containerEnv:PATH}:/opt/bin",
    c: ["${devcontainerId}", "${devcontainerId}"],
    n: 3,
  });
  assertEquals(warnings, ["c[0]: variable ${devcontainerId} is not supported; left as is"]);
});

Deno.test("local pass leaves container variables for the second pass", () => {
  const lookup = localLookup("/src/app", ENV, []);
  assertEquals(substitute("${containerWorkspaceFolder}", lookup), "${containerWorkspaceFolder}");
});

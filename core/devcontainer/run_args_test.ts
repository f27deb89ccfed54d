import { assertEquals } from "@std/assert";
import { emptyRunArgs, parseRunArgs, withTopLevel } from "./run_args.ts";

function parse(args: string[], env: Record<string, string> = {}) {
  const faults: string[] = [];
  const warnings: string[] = [];
  return { ...parseRunArgs(args, env, faults, warnings), faults, warnings };
}

Deno.test("supported runArgs flags are read in both --flag=value and --flag value forms", () => {
  const out = parse([
    "--cap-add=SYS_PTRACE",
    "--security-opt",
    "seccomp=unconfined",
    "--privileged",
    "--init",
    "-e",
    "A=1",
    "--env=B=x=y",
    "-eC=3",
    "--label",
    "team=dev",
    "-l=solo",
    "--net=host",
  ]);
  assertEquals(out.runArgs, {
    capAdd: ["SYS_PTRACE"],
    securityOpt: ["seccomp=unconfined"],
    privileged: true,
    init: true,
    env: { A: "1", B: "x=y", C: "3" },
    labels: { team: "dev", solo: "" },
    network: "host",
  });
  assertEquals([out.faults, out.warnings, out.mounts], [[], [], []]);
});

Deno.test("-e NAME takes its value from the env map, or sets nothing", () => {
  assertEquals(parse(["-e", "TOKEN", "-e", "MISSING"], { TOKEN: "t" }).runArgs.env, { TOKEN: "t" });
});

Deno.test("--mount and -v in runArgs become mounts", () => {
  const out = parse(["--mount", "type=bind,source=/a,target=/b", "-v", "cache:/cache:ro"]);
  assertEquals(out.mounts, [
    { type: "bind", source: "/a", target: "/b", readonly: false },
    { type: "volume", source: "cache", target: "/cache", readonly: true },
  ]);
});

Deno.test("unsupported runArgs flags are warnings naming the flag and its value", () => {
  const out = parse(["--gpus", "all", "--rm", "--shm-size=1g", "-it", "stray"]);
  assertEquals(out.warnings, [
    'runArgs[0]: docker run flag "--gpus all" is not supported; ignored',
    'runArgs[2]: docker run flag "--rm" is not supported; ignored',
    'runArgs[3]: docker run flag "--shm-size=1g" is not supported; ignored',
    'runArgs[4]: docker run flag "-it" is not supported; ignored',
    'runArgs[5]: "stray" is not a docker run flag; ignored',
  ]);
  assertEquals(out.runArgs, emptyRunArgs());
});

Deno.test("a positional word in runArgs is a warning", () => {
  assertEquals(parse(["--init", "ubuntu"]).warnings, [
    'runArgs[1]: "ubuntu" is not a docker run flag; ignored',
  ]);
});

Deno.test("bad runArgs values are faults", () => {
  assertEquals(parse(["--privileged=yes", "-e", "=v", "--cap-add"]).faults, [
    'runArgs[0]: --privileged takes true or false, not "yes"',
    'runArgs[1]: --env needs NAME=value, not "=v"',
    "runArgs[3]: --cap-add needs a value",
  ]);
});

Deno.test("top-level capAdd, securityOpt, privileged and init merge into runArgs", () => {
  const { runArgs } = parse(["--cap-add=NET_ADMIN", "--cap-add=SYS_PTRACE"]);
  assertEquals(
    withTopLevel(runArgs, {
      capAdd: ["SYS_PTRACE"],
      securityOpt: ["apparmor=unconfined"],
      privileged: true,
      init: false,
    }),
    {
      ...emptyRunArgs(),
      capAdd: ["SYS_PTRACE", "NET_ADMIN"],
      securityOpt: ["apparmor=unconfined"],
      privileged: true,
    },
  );
});

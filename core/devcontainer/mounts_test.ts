import { assertEquals } from "@std/assert";
import { type MountReport, parseMountObject, parseMountString, parseVolumeFlag } from "./mounts.ts";

function report(): MountReport {
  return { at: "mounts[0]", faults: [], warnings: [] };
}

Deno.test("the mount string form reads source, target, type and readonly in any order", () => {
  const r = report();
  assertEquals(
    parseMountString("source=/home/ada/.ssh,target=/root/.ssh,type=bind,consistency=cached,ro", r),
    { type: "bind", source: "/home/ada/.ssh", target: "/root/.ssh", readonly: true },
  );
  assertEquals(
    parseMountString("type=volume,dst=/commandhistory,src=app-history,readonly=false", r),
    { type: "volume", source: "app-history", target: "/commandhistory", readonly: false },
  );
  assertEquals(r, report(), "no faults or warnings");
});

Deno.test("the mount string type defaults to volume, as in docker run --mount", () => {
  assertEquals(parseMountString("source=cache,target=/cache", report()), {
    type: "volume",
    source: "cache",
    target: "/cache",
    readonly: false,
  });
});

Deno.test("bad mount strings are faults naming the JSON path", () => {
  const r = report();
  parseMountString("source=rel/dir,target=/x,type=bind", r);
  parseMountString("source=v,target=relative", r);
  parseMountString("source=/a,target=/b,type=bind,colour=red", r);
  parseMountString("target=/b,type=bind", r);
  parseMountString("source=/a,target=/b,type=bind,readonly=maybe", r);
  parseMountString("source=/a,type,target=/b", r);
  assertEquals(r.faults, [
    "mounts[0]: bind mount source must be an absolute path: rel/dir",
    "mounts[0]: mount target must be absolute: relative",
    "mounts[0]: volume name must match ^[A-Za-z0-9][A-Za-z0-9_.-]+$: v",
    'mounts[0]: unknown mount option "colour"',
    "mounts[0]: bind mount has no source",
    'mounts[0]: readonly must be true, false, 1 or 0, not "maybe"',
    'mounts[0]: mount option "type" needs a value',
    "mounts[0]: volume name must match ^[A-Za-z0-9][A-Za-z0-9_.-]+$: /a",
  ]);
});

Deno.test("tmpfs mounts and Docker-only options are warnings", () => {
  const r = report();
  assertEquals(parseMountString("type=tmpfs,target=/tmp", r), undefined);
  parseMountString("source=v1,target=/v,volume-nocopy=true", r);
  assertEquals(r.faults, []);
  assertEquals(r.warnings, [
    'mounts[0]: mount type "tmpfs" is not supported (bind or volume); skipped',
    'mounts[0]: mount option "volume-nocopy" is not supported; ignored',
  ]);
});

Deno.test("the mount object form is checked like the string form", () => {
  const r = report();
  assertEquals(parseMountObject({ type: "bind", source: "/data", target: "/data" }, r), {
    type: "bind",
    source: "/data",
    target: "/data",
    readonly: false,
  });
  assertEquals(parseMountObject({ type: "volume", target: "/x", extra: 1 }, r), undefined);
  assertEquals(r.faults, ["mounts[0]: volume mount has no source"]);
  assertEquals(r.warnings, ["mounts[0].extra: unknown mount property; ignored"]);
});

Deno.test("-v source:target[:ro] is a bind mount for absolute sources, else a volume", () => {
  const r = report();
  assertEquals(parseVolumeFlag("/var/run/docker.sock:/var/run/docker.sock:ro", r), {
    type: "bind",
    source: "/var/run/docker.sock",
    target: "/var/run/docker.sock",
    readonly: true,
  });
  assertEquals(parseVolumeFlag("node_modules:/app/node_modules", r), {
    type: "volume",
    source: "node_modules",
    target: "/app/node_modules",
    readonly: false,
  });
  assertEquals(parseVolumeFlag("/only-one", r), undefined);
  assertEquals(r.faults, ['mounts[0]: volume must be "source:target[:ro]": /only-one']);
});

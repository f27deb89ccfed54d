import { assertEquals } from "@std/assert";
import {
  denyAll,
  describePermissions,
  riskyGrants,
  toDenoFlags,
  toWorkerPermissions,
  unionPermissions,
} from "./permissions.ts";
import { PERMISSION_KEYS } from "./schema.ts";
import type { Permissions } from "./types.ts";

/** Permissions granting nothing except what `grants` says. */
function perms(grants: Partial<Permissions> = {}): Permissions {
  return { ...denyAll(), ...grants };
}

Deno.test("denyAll writes every permission key as false", () => {
  const none = denyAll();
  assertEquals(Object.keys(none).sort(), [...PERMISSION_KEYS].sort());
  for (const key of PERMISSION_KEYS) assertEquals(none[key], false, key);
});

Deno.test("unionPermissions of nothing grants nothing", () => {
  assertEquals(unionPermissions([]), denyAll());
  assertEquals(unionPermissions([denyAll(), denyAll()]), denyAll());
});

Deno.test("unionPermissions lets true win over lists and false", () => {
  const union = unionPermissions([
    perms({ read: ["/a"], net: true, env: false }),
    perms({ read: true, net: ["x.example"], env: true }),
    perms({ read: ["/b"] }),
  ]);
  assertEquals(union.read, true);
  assertEquals(union.net, true);
  assertEquals(union.env, true);
});

Deno.test("unionPermissions merges lists deduplicated and sorted", () => {
  const union = unionPermissions([
    perms({ read: ["/z", "/a"], run: ["git"] }),
    perms({ read: ["/m", "/a"], run: false }),
    perms({ read: false, run: ["docker", "git"] }),
  ]);
  assertEquals(union.read, ["/a", "/m", "/z"]);
  assertEquals(union.run, ["docker", "git"]);
});

Deno.test("unionPermissions keeps false + false as false, and empty lists grant nothing", () => {
  const union = unionPermissions([perms({ write: [] }), perms({ write: false, ffi: [] })]);
  assertEquals(union.write, false);
  assertEquals(union.ffi, false);
  assertEquals(union.sys, false);
});

Deno.test("unionPermissions does not modify its inputs", () => {
  const a = perms({ read: ["/b"] });
  const b = perms({ read: ["/a"] });
  unionPermissions([a, b]);
  assertEquals(a.read, ["/b"]);
  assertEquals(b.read, ["/a"]);
});

Deno.test("toDenoFlags writes one flag per granted key in key order", () => {
  assertEquals(
    toDenoFlags(perms({
      read: ["/a", "/b"],
      write: ["/tmp"],
      net: true,
      env: ["HOME", "PATH"],
      run: ["git"],
      sys: true,
      ffi: false,
      import: ["deno.land:443"],
    })),
    [
      "--allow-read=/a,/b",
      "--allow-write=/tmp",
      "--allow-net",
      "--allow-env=HOME,PATH",
      "--allow-run=git",
      "--allow-sys",
      "--allow-import=deno.land:443",
    ],
  );
});

Deno.test("toDenoFlags writes nothing for false or an empty list", () => {
  assertEquals(toDenoFlags(denyAll()), []);
  // `--allow-read=` with nothing after it makes deno refuse to start ("Empty path is not allowed").
  assertEquals(toDenoFlags(perms({ read: [], net: [] })), []);
});

Deno.test("riskyGrants flags run and ffi in any form", () => {
  assertEquals(riskyGrants(perms({ run: ["git"] })), ["run"]);
  assertEquals(riskyGrants(perms({ run: true })), ["run"]);
  assertEquals(riskyGrants(perms({ ffi: ["/lib/x.so"] })), ["ffi"]);
  assertEquals(riskyGrants(perms({ ffi: true, run: true })), ["run", "ffi"]);
});

Deno.test("riskyGrants flags unrestricted read and write, but not path lists", () => {
  assertEquals(riskyGrants(perms({ read: true })), ["read"]);
  assertEquals(riskyGrants(perms({ write: true })), ["write"]);
  assertEquals(riskyGrants(perms({ read: true, write: true })), ["read", "write"]);
  assertEquals(riskyGrants(perms({ read: ["/home/u"], write: ["/tmp"] })), []);
});

Deno.test("riskyGrants flags write access to the docker socket", () => {
  assertEquals(riskyGrants(perms({ write: ["/tmp", "/var/run/docker.sock"] })), ["write"]);
  assertEquals(riskyGrants(perms({ write: ["/run/user/1000/docker.sock"] })), ["write"]);
  assertEquals(riskyGrants(perms({ read: ["/var/run/docker.sock"] })), []);
  assertEquals(
    riskyGrants(perms({ run: ["git"], read: true, write: ["/var/run/docker.sock"] })),
    ["run", "read", "write"],
  );
});

Deno.test("riskyGrants finds nothing risky in net, env, sys, import or empty lists", () => {
  assertEquals(
    riskyGrants(perms({ net: true, env: true, sys: true, import: true, run: [], ffi: [] })),
    [],
  );
  assertEquals(riskyGrants(denyAll()), []);
});

Deno.test("toWorkerPermissions writes every key so nothing is inherited", () => {
  const none = toWorkerPermissions(denyAll());
  assertEquals(Object.keys(none).sort(), [...PERMISSION_KEYS].sort());
  for (const key of PERMISSION_KEYS) {
    assertEquals(none[key as keyof Deno.PermissionOptionsObject], false, key);
  }
  const some = toWorkerPermissions(perms({ read: ["/a"], net: true, sys: ["hostname"] }));
  assertEquals(some, {
    read: ["/a"],
    write: false,
    net: true,
    env: false,
    run: false,
    sys: ["hostname"],
    ffi: false,
    import: false,
  });
  for (const value of Object.values(some)) {
    assertEquals(value === "inherit", false, "never inherit");
  }
});

Deno.test("describePermissions writes a compact human form", () => {
  assertEquals(describePermissions(denyAll()), "none");
  assertEquals(describePermissions(perms({ read: [], run: [] })), "none");
  assertEquals(
    describePermissions(perms({
      read: ["/a", "/b"],
      net: ["127.0.0.1:80"],
      run: ["git"],
      sys: true,
    })),
    "read=/a,/b net=127.0.0.1:80 run=git sys=all",
  );
});

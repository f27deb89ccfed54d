import { assertEquals } from "@std/assert";
import { riskyGrants as cliRiskyGrants } from "../../manifest/permissions.ts";
import type { Permissions } from "../../manifest/types.ts";
import { age, permissionChips, riskyGrants } from "../../http/ui/format.js";

const none: Permissions = {
  read: false,
  write: false,
  net: false,
  env: false,
  run: false,
  sys: false,
  ffi: false,
  import: false,
};
const cases: Permissions[] = [
  none,
  { ...none, run: ["git"], read: ["/home"] },
  { ...none, read: true, write: ["/tmp"] },
  { ...none, write: ["/run/repocate-ci/docker.sock"], net: ["127.0.0.1:0"] },
  { ...none, write: true, ffi: ["/lib/x.so"], run: [] },
  { ...none, sys: true, env: true, net: true, import: ["example.org"] },
];

Deno.test("the dashboard marks exactly the grants the CLI calls risky", () => {
  for (const perms of cases) assertEquals(riskyGrants(perms), cliRiskyGrants(perms));
});

Deno.test("permission chips list granted keys compactly, with the reason for risky ones", () => {
  assertEquals(permissionChips(none), []);
  assertEquals(permissionChips({ ...none, read: ["/a", "/b"], run: ["git"], net: true }), [
    { key: "read", text: "/a, /b", risk: null },
    { key: "net", text: "all", risk: null },
    { key: "run", text: "git", risk: "runs programs outside Deno's sandbox" },
  ]);
  assertEquals(
    permissionChips({ ...none, write: ["/var/run/docker.sock"] })[0].risk,
    "writes the Docker socket: root on the host",
  );
  assertEquals(permissionChips({ ...none, read: true })[0].risk, "may read every file");
});

Deno.test("ages read like the CLI's", () => {
  const now = Date.parse("2025-01-02T00:00:00Z");
  assertEquals(age(null, now), "-");
  assertEquals(age("not a date", now), "-");
  assertEquals(age("2025-01-01T23:59:30Z", now), "30s");
  assertEquals(age("2025-01-01T23:55:00Z", now), "5m");
  assertEquals(age("2025-01-01T21:00:00Z", now), "3h");
  assertEquals(age("2024-12-29T00:00:00Z", now), "4d");
});

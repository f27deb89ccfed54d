import { assertEquals } from "@std/assert";
import { commandsNotOnPath, grantFlag } from "./host_grants.ts";

Deno.test("grantFlag writes the flag that grants what is missing", () => {
  assertEquals(grantFlag({ key: "net", values: true }), "--allow-net");
  assertEquals(grantFlag({ key: "read", values: ["/a", "/b"] }), "--allow-read=/a,/b");
});

Deno.test("commandsNotOnPath names bare commands only when nothing else is missing", () => {
  assertEquals(commandsNotOnPath([{ key: "run", values: ["git", "ssh"] }]), ["git", "ssh"]);
  assertEquals(commandsNotOnPath([]), null);
  assertEquals(commandsNotOnPath([{ key: "run", values: ["/usr/bin/git"] }]), null);
  assertEquals(commandsNotOnPath([{ key: "run", values: true }]), null);
  assertEquals(
    commandsNotOnPath([{ key: "run", values: ["git"] }, { key: "read", values: ["/w"] }]),
    null,
  );
});

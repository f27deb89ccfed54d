import { assertEquals } from "@std/assert";
import { gitPluginPermissions, OPTIONAL_ENV } from "./permissions.ts";

Deno.test("gitPluginPermissions writes out every key and grants only the workspace", () => {
  assertEquals(gitPluginPermissions("/ws"), {
    read: ["/ws"],
    write: ["/ws"],
    net: false,
    env: ["NODE_V8_COVERAGE"],
    run: ["git"],
    sys: false,
    ffi: false,
    import: false,
  });
  assertEquals(gitPluginPermissions("/ws", ["HOME"]).env, ["NODE_V8_COVERAGE", "HOME"]);
});

Deno.test("the optional env names are the ones the plugin passes on to git", () => {
  for (const name of ["PATH", "HOME", "SSH_AUTH_SOCK", "HTTPS_PROXY"]) {
    assertEquals(OPTIONAL_ENV.includes(name), true, name);
  }
});

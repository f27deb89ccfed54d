/** The launcher grants `repocate serve` the network (and token file) access it needs, no more. */
import { assertEquals } from "@std/assert";
import { resolve } from "@std/path";
import { commandPermissions } from "../launch_flags.ts";

const grants = (args: string[]) =>
  commandPermissions(args).map((p) => ({ net: p.net, read: p.read, write: p.write }));

Deno.test("serve gets net on its listen address: 127.0.0.1:8420 unless --host/--port say otherwise", () => {
  assertEquals(grants(["serve"]), [{ net: ["127.0.0.1:8420"], read: false, write: false }]);
  assertEquals(grants(["--manifest", "m.json", "--no-check", "serve", "--port", "0"])[0].net, [
    "127.0.0.1:0",
  ]);
  assertEquals(grants(["serve", "--host=0.0.0.0", "--port=9000"])[0].net, ["0.0.0.0:9000"]);
  assertEquals(grants(["serve", "--host", "::1"])[0].net, ["[::1]:8420"]);
  assertEquals(grants(["serve", "--host", "[::1]", "--port", "1"])[0].net, ["[::1]:1"]);
});

Deno.test("serve --token-file may read that file and write its folder", () => {
  const [g] = grants(["serve", "--token-file", "secrets/t"]);
  assertEquals(g.read, [resolve("secrets/t")]);
  assertEquals(g.write, [resolve("secrets")]);
});

Deno.test("other commands, including ones merely named serve as an argument, get nothing extra", () => {
  assertEquals(commandPermissions(["plugins", "list"]), []);
  assertEquals(commandPermissions(["create", "serve"]), []);
  assertEquals(commandPermissions(["--lock", "serve", "list"]), []);
  assertEquals(commandPermissions([]), []);
});

/**
 * `deno task compile` builds a working single binary. Compiling needs the denort runtime,
 * which cannot be downloaded on these machines: the test runs where `DENORT_BIN` points at one.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { fromFileUrl, join } from "@std/path";
import { compileArgs } from "../scripts/compile.ts";

const root = fromFileUrl(new URL("../", import.meta.url));

Deno.test({
  name: "deno compile builds a single binary that answers --help and lists actions",
  ignore: !Deno.env.get("DENORT_BIN"),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const binary = join(dir, "repocate");
      const build = await new Deno.Command(Deno.execPath(), {
        args: await compileArgs(join(root, "plugins.json"), binary),
      }).output();
      assertEquals(build.code, 0, new TextDecoder().decode(build.stderr));
      const help = await new Deno.Command(binary, { args: ["--help"] }).output();
      assertEquals(help.code, 0);
      assertStringIncludes(new TextDecoder().decode(help.stdout), "Usage: repocate");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("the compile task bakes in the manifest's host flags, never -A", async () => {
  const args = await compileArgs(join(root, "plugins.json"), "/tmp/x");
  assertEquals(args.includes("-A") || args.includes("--allow-all"), false);
  assertEquals(args.at(-1), join(root, "main.ts"));
  assertEquals(args.filter((a) => a === "--include").length, 4);
});

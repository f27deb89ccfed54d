/**
 * `deno task compile`: builds the single binary `dist/repocate` with the host flags that
 * plugins.json needs baked in (never -A), the Worker entry and the builtin plugins included.
 * `deno compile` needs the denort runtime: on a machine that cannot download it, point
 * `DENORT_BIN` at one.
 *
 * @module
 */
import { fromFileUrl, join } from "@std/path";
import { hostFlags } from "../launch_flags.ts";
import { loadManifest } from "../manifest/io.ts";

const root = fromFileUrl(new URL("../", import.meta.url));

/** The `deno compile` arguments for the manifest at `manifestFile`. */
export async function compileArgs(manifestFile: string, output: string): Promise<string[]> {
  const manifest = await loadManifest(manifestFile);
  return [
    "compile",
    ...hostFlags(manifest),
    "--include",
    join(root, "host/worker_entry.ts"),
    "--include",
    join(root, "interfaces.ts"),
    "--include",
    join(root, "plugins"),
    "--include",
    join(root, "deno.json"),
    "--output",
    output,
    join(root, "main.ts"),
  ];
}

if (import.meta.main) {
  const args = await compileArgs(join(root, "plugins.json"), join(root, "dist/repocate"));
  console.error(`deno ${args.join(" ")}`);
  const { code } = await new Deno.Command(Deno.execPath(), { args }).spawn().status;
  Deno.exit(code);
}

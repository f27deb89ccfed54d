/**
 * The launcher behind `deno task start`: computes the host's permission flags from the
 * manifest (its own needs plus the union of every enabled plugin's grants) and runs main.ts
 * with exactly those, never `-A`. Prints the flags with `REPOCATE_SHOW_FLAGS=1`.
 *
 * @module
 */
import { fromFileUrl } from "@std/path";
import { commandPermissions, hostFlags, optionValue } from "./launch_flags.ts";
import { manifestPath } from "./cli/context.ts";
import { loadManifest } from "./manifest/io.ts";

async function flagsFor(args: string[]): Promise<string[]> {
  try {
    const manifest = await loadManifest(
      manifestPath({ manifest: optionValue(args, "--manifest") }),
    );
    return hostFlags(manifest, commandPermissions(args));
  } catch {
    // main.ts reports the manifest's fault itself; it needs only to read it.
    return ["--allow-read", "--allow-env"];
  }
}

if (import.meta.main) {
  const args = Deno.args;
  const flags = await flagsFor(args);
  if (Deno.env.get("REPOCATE_SHOW_FLAGS") === "1") {
    console.error(`repocate: deno run ${flags.join(" ")}`);
  }
  const main = fromFileUrl(new URL("./main.ts", import.meta.url));
  const child = new Deno.Command(Deno.execPath(), {
    // --no-prompt: a permission outside the derived flags is denied, never asked for.
    args: ["run", "--quiet", "--no-prompt", ...flags, main, ...args],
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => child.kill(signal));
  }
  const status = await child.status;
  Deno.exit(status.code);
}

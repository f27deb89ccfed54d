/**
 * repocate's entry point: runs the command line and exits with its status. The only place
 * that calls `Deno.exit`. Start it through `deno task start` (launch.ts), which derives the
 * permission flags from plugins.json.
 *
 * @module
 */
import { runCli } from "./cli/program.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}

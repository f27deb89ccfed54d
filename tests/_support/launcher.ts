/**
 * How tests run repocate as a user does: `deno run` of launch.ts with the flags of the `start`
 * task in deno.json (the launcher then derives main.ts's flags from the manifest).
 *
 * @module
 */
import { fromFileUrl, join } from "@std/path";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));

/** The `deno` arguments that start the launcher, as `deno task start` does; add repocate's. */
export function launcherArgs(): string[] {
  return ["run", "--quiet", "--allow-read", "--allow-env", "--allow-run", join(ROOT, "launch.ts")];
}

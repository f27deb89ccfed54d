/**
 * Type-checks a plugin against `interfaces.ts` with Deno's checker: a probe module assigns the
 * plugin's `Ops` to an `Operation`, so a missing or mistyped member fails with the member named.
 *
 * @module
 */
import { join, toFileUrl } from "@std/path";
import { RepocateError } from "../errors.ts";
import { configFlag, REPOCATE_ROOT, runDeno } from "./deno_cli.ts";

/** The probe module's source for `specifier`. */
export function probeSource(specifier: string): string {
  const api = toFileUrl(join(REPOCATE_ROOT, "interfaces.ts")).href;
  return [
    `import type { Operation } from ${JSON.stringify(api)};`,
    `import { Ops } from ${JSON.stringify(specifier)};`,
    `export const checked: Operation = Ops;`,
    "",
  ].join("\n");
}

/** The `TSnnnn: message` line of each diagnostic in `deno check` output. */
export function diagnostics(stderr: string): string[] {
  return [...stderr.matchAll(/^\s*(TS\d+) \[ERROR\]:\s*(.*)$/gm)].map((m) => `${m[1]}: ${m[2]}`);
}

/**
 * Runs the checker on `specifier` for plugin `name`. Throws `PLUGIN_TYPE_CHECK` with the first
 * diagnostics when the plugin's `Ops` does not satisfy `Operation`.
 */
export async function typeCheckPlugin(name: string, specifier: string): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-check-" });
  try {
    const probe = join(dir, "probe.ts");
    await Deno.writeTextFile(probe, probeSource(specifier));
    const run = await runDeno([
      "check",
      configFlag(),
      `--lock=${join(dir, "deno.lock")}`,
      "--allow-import",
      "-q",
      probe,
    ]);
    if (run.code === 0) return;
    const found = diagnostics(run.stderr);
    const text = found.length ? found.slice(0, 3).join("; ") : run.stderr.trim().split("\n")[0];
    throw new RepocateError(
      "PLUGIN_TYPE_CHECK",
      `plugin "${name}" (${specifier}): Ops does not satisfy Operation: ${text}`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * What every command shares: resolving the global options into runtime options, writing
 * output (text or `--json`), and showing plugin logs on stderr.
 *
 * @module
 */
import { join, resolve } from "@std/path";
import type { LogLevel } from "../interfaces.ts";
import type { RuntimeOptions } from "../core/runtime.ts";
import { REPOCATE_ROOT } from "../host/deno_cli.ts";

/** Options every command accepts. */
export interface GlobalOptions {
  /** Path of plugins.json. */
  manifest?: string;
  /** Path of plugins.lock.json. */
  lock?: string;
  /** Never write the lock; refuse unpinned remote plugins. */
  frozen?: boolean;
  /** Commander's negation of `--no-check`. */
  check?: boolean;
  /** Machine-readable output. */
  json?: boolean;
  /** Show plugin debug logs. */
  verbose?: boolean;
  /** Plugin cache folder. */
  cacheDir?: string;
  /** Commander's negation of `--no-cache`. */
  cache?: boolean;
}

/** Where the manifest is: `--manifest`, `REPOCATE_MANIFEST`, ./plugins.json, or repocate's own. */
export function manifestPath(options: GlobalOptions): string {
  if (options.manifest) return resolve(options.manifest);
  const fromEnv = Deno.env.get("REPOCATE_MANIFEST");
  if (fromEnv) return resolve(fromEnv);
  try {
    Deno.statSync("plugins.json");
    return resolve("plugins.json");
  } catch {
    return join(REPOCATE_ROOT, "plugins.json");
  }
}

/** Writes one line to stdout. */
export function out(line = ""): void {
  console.log(line);
}

/** Writes `value` as JSON to stdout. */
export function outJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** Writes one line to stderr. */
export function err(line: string): void {
  console.error(line);
}

/** Shows a plugin's log line on stderr (`debug` only with `--verbose`). */
export function logger(
  options: GlobalOptions,
): (plugin: string, level: LogLevel, message: string) => void {
  return (plugin, level, message) => {
    if (level === "debug" && !options.verbose) return;
    err(`[${plugin}] ${level}: ${message}`);
  };
}

/** The runtime options the global options describe. */
export function runtimeOptions(options: GlobalOptions): RuntimeOptions {
  return {
    manifestFile: manifestPath(options),
    lockFile: options.lock ? resolve(options.lock) : undefined,
    frozen: options.frozen ?? false,
    typeCheck: options.check ?? true,
    cacheDir: options.cacheDir,
    lazy: options.cache ?? true,
    onLog: logger(options),
  };
}

/** Pads cells into aligned columns. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) =>
    r.map((c, i) => i === r.length - 1 ? c : c.padEnd(widths[i])).join("  ").trimEnd()
  );
}

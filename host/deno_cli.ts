/**
 * Runs the `deno` CLI for what the runtime cannot do in-process: bundling a plugin's module
 * graph and type-checking it. Needs `--allow-run` for the deno binary.
 *
 * @module
 */
import { basename, dirname, fromFileUrl, join } from "@std/path";
import { RepocateError } from "../errors.ts";

/** The repocate source folder (where deno.json and interfaces.ts live). */
export const REPOCATE_ROOT: string = dirname(fromFileUrl(new URL("../deno.json", import.meta.url)));

/** The deno binary to run: `REPOCATE_DENO`, this process's own deno, or `deno` on PATH. */
export function denoBinary(): string {
  const fromEnv = Deno.env.get("REPOCATE_DENO");
  if (fromEnv) return fromEnv;
  const self = Deno.execPath();
  return /^deno(\.exe)?$/.test(basename(self)) ? self : "deno";
}

/** The config flag for plugin builds: repocate's deno.json (its import map) when on disk. */
export function configFlag(): string {
  const file = join(REPOCATE_ROOT, "deno.json");
  try {
    Deno.statSync(file);
    return `--config=${file}`;
  } catch {
    return "--no-config";
  }
}

/** The outcome of a deno subcommand. */
export interface DenoRun {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error without ANSI colours. */
  stderr: string;
}

/** Runs `deno <args>` with a time limit; throws `PLUGIN_SOURCE` if deno cannot be started. */
export async function runDeno(args: string[], timeoutMs = 300_000): Promise<DenoRun> {
  const bin = denoBinary();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(bin, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    }).spawn();
  } catch (error) {
    throw new RepocateError(
      "PLUGIN_SOURCE",
      `cannot run "${bin}" (needed to bundle and type-check plugins; set REPOCATE_DENO): ${
        (error as Error).message
      }`,
    );
  }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, timeoutMs);
  try {
    const out = await child.output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return {
      code: out.code,
      stdout: decode(out.stdout),
      // deno-lint-ignore no-control-regex
      stderr: decode(out.stderr).replace(/\x1b\[[0-9;]*m/g, ""),
    };
  } finally {
    clearTimeout(timer);
  }
}

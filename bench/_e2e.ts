/**
 * Helpers of the end-to-end benchmark (e2e_create.ts): timed child processes with a time
 * limit, medians and ratios, and a cleanup of everything a run left on the Docker engine,
 * found by name prefix and label so it works even when repocate itself failed.
 *
 * Needs: run for git, docker, deno and node; read/write on the run's temporary folder.
 *
 * @module
 */

/** The outcome of one child process. */
export interface Ran {
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Options of {@link run}. */
export interface RunOptions {
  /** Working folder. */
  cwd?: string;
  /** Variables added to this process's environment. */
  env?: Record<string, string>;
  /** Killed after this many milliseconds (default 10 minutes). */
  timeoutMs?: number;
  /** Do not throw on a non-zero exit. */
  allowFailure?: boolean;
}

const decoder = new TextDecoder();

/** Runs `cmd args…`, timing it; throws with the end of stderr when it fails. */
export async function run(cmd: string, args: string[], options: RunOptions = {}): Promise<Ran> {
  const started = performance.now();
  const child = new Deno.Command(cmd, {
    args,
    cwd: options.cwd,
    env: options.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, options.timeoutMs ?? 600_000);
  try {
    const out = await child.output();
    const ms = performance.now() - started;
    const ran = { ms, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
    if (!out.success && !options.allowFailure) {
      const tail = (ran.stderr.trim() || ran.stdout.trim()).split("\n").slice(-6).join(" | ");
      throw new Error(`${cmd} ${args.join(" ")} exited with ${out.code}: ${tail}`);
    }
    return ran;
  } finally {
    clearTimeout(timer);
  }
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `1234.5` → `"1235 ms"`, `12345` → `"12.35 s"`. */
export function fmtMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** Lines of output, without empty ones. */
export function lines(text: string): string[] {
  return text.split("\n").map((l) => l.trim()).filter(Boolean);
}

/** `docker …` against `host`. */
export function docker(host: string, args: string[], options: RunOptions = {}): Promise<Ran> {
  return run("docker", ["-H", host, ...args], options);
}

/**
 * Removes the containers, volumes and images a bench run made: containers whose repocate name
 * starts with `prefix` or that carry `label`; repocate's home volumes of those names; images
 * `repocate/<prefix>*`, `vsc-<prefix>*` (devcontainers/cli) and `extraImages`.
 */
export async function cleanupEngine(
  host: string,
  prefix: string,
  label: string,
  extraImages: string[],
): Promise<void> {
  const quiet = { allowFailure: true, timeoutMs: 120_000 };
  const ps = await docker(host, [
    "ps",
    "-a",
    "--format",
    '{{.ID}}\t{{.Label "dev.repocate.name"}}\t{{.Label "' + label + '"}}',
  ], quiet);
  const ids = lines(ps.stdout).map((l) => l.split("\t")).filter(([, name, mine]) =>
    name?.startsWith(prefix) || (mine ?? "") !== ""
  ).map(([id]) => id);
  if (ids.length) await docker(host, ["rm", "-f", "-v", ...ids], quiet);
  const vols = await docker(host, ["volume", "ls", "--format", "{{.Name}}"], quiet);
  const mine = lines(vols.stdout).filter((v) => v.startsWith(`repocate-${prefix}`));
  if (mine.length) await docker(host, ["volume", "rm", "-f", ...mine], quiet);
  const images = await docker(host, ["images", "--format", "{{.Repository}}:{{.Tag}}"], quiet);
  const tags = lines(images.stdout).filter((t) =>
    t.startsWith(`repocate/${prefix}`) || t.startsWith(`vsc-${prefix}`) || extraImages.includes(t)
  );
  if (tags.length) await docker(host, ["rmi", "-f", ...tags], quiet);
}

/**
 * Builds one plugin into a single ES module with `deno bundle`: its local and remote imports
 * inlined, npm packages left as imports the host resolves from its own import map and
 * deno.lock. The same run records the content hash of every remote module it fetched (Deno's
 * own lockfile), so the code that runs is exactly the code that was hashed.
 *
 * @module
 */
import { join } from "@std/path";
import { RepocateError } from "../errors.ts";
import { configFlag, REPOCATE_ROOT, runDeno } from "./deno_cli.ts";
import { graphIntegrity, sha256 } from "./hash.ts";

/** A plugin built into one module. */
export interface BuiltPlugin {
  /** The bundled module's source. */
  code: string;
  /** Every remote module of the graph by URL, `sha256-<hex>`. */
  modules: Record<string, string>;
  /** For remote sources the graph integrity (what the lock pins); for local, the code's hash. */
  integrity: string;
}

/** Options for {@link buildPlugin}. */
export interface BuildOptions {
  /** Whether the source is remote (its graph is then hashed and pinned). */
  remote: boolean;
  /** Origins (`https://host:port`) whose cached modules are fetched anew. */
  reloadOrigins?: string[];
}

let externalsCache: string[] | undefined;

/** The `--external` patterns: `npm:*` and every import-map name that maps to npm. */
export function bundleExternals(): string[] {
  if (externalsCache) return externalsCache;
  const out = ["npm:*"];
  try {
    const config = JSON.parse(Deno.readTextFileSync(join(REPOCATE_ROOT, "deno.json")));
    for (const [key, target] of Object.entries(config.imports ?? {})) {
      if (typeof target === "string" && target.startsWith("npm:")) {
        out.push(key.endsWith("/") ? `${key}*` : key);
      }
    }
  } catch {
    // No deno.json on disk (a compiled binary): plugins must use npm: specifiers.
  }
  return externalsCache = out;
}

/** The first `error:` line of deno's output, for one-line messages. */
export function denoErrorLine(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  const at = lines.findIndex((l) => /^error\b/i.test(l));
  if (at < 0) return lines.at(-1) ?? "unknown error";
  const detail = lines.slice(at, at + 3).filter((l) => !/^at /.test(l));
  return detail.join(" ").replace(/^error:\s*/i, "");
}

/** Bundles `specifier` (a `file:` or `https:` URL). Throws `PLUGIN_SOURCE` with deno's reason. */
export async function buildPlugin(specifier: string, options: BuildOptions): Promise<BuiltPlugin> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-bundle-" });
  try {
    const out = join(dir, "plugin.js");
    const lockFile = join(dir, "deno.lock");
    const args = [
      "bundle",
      configFlag(),
      `--lock=${lockFile}`,
      "--allow-import",
      "--platform=deno",
      "--format=esm",
      ...bundleExternals().map((e) => `--external=${e}`),
      ...(options.reloadOrigins?.length ? [`--reload=${options.reloadOrigins.join(",")}`] : []),
      "-o",
      out,
      specifier,
    ];
    const run = await runDeno(args);
    if (run.code !== 0) {
      throw new RepocateError(
        "PLUGIN_SOURCE",
        `cannot build ${specifier}: ${denoErrorLine(run.stderr)}`,
      );
    }
    const code = await Deno.readTextFile(out);
    const modules: Record<string, string> = {};
    try {
      const lock = JSON.parse(await Deno.readTextFile(lockFile));
      for (const [url, hex] of Object.entries(lock.remote ?? {})) modules[url] = `sha256-${hex}`;
    } catch {
      // No lockfile written: the graph has no remote modules.
    }
    const integrity = options.remote ? await graphIntegrity(modules) : await sha256(code);
    return { code, modules, integrity };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

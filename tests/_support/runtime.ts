/**
 * Test helpers: a manifest in a temporary folder, a runtime opened on it with its own cache,
 * and the logs it wrote.
 *
 * @module
 */
import { fromFileUrl, join } from "@std/path";
import { openRuntime, type Runtime, type RuntimeOptions } from "../../core/runtime.ts";

/** Absolute path of a fixture plugin under tests/fixtures/plugins. */
export function fixture(name: string): string {
  return fromFileUrl(new URL(`../fixtures/plugins/${name}`, import.meta.url));
}

/** A temporary project folder with a manifest. */
export interface TempProject {
  /** The folder. */
  dir: string;
  /** Path of its plugins.json. */
  manifestFile: string;
  /** Path of its plugins.lock.json. */
  lockFile: string;
  /** Its own plugin cache folder. */
  cacheDir: string;
  /** Log lines as `plugin level: message`. */
  logs: string[];
  /** Runtime options for this project. */
  options(extra?: Partial<RuntimeOptions>): RuntimeOptions;
  /** Rewrites plugins.json with `plugins`. */
  writeManifest(plugins: unknown[]): Promise<void>;
  /** Removes the folder. */
  cleanup(): Promise<void>;
}

/** Makes a temporary project whose manifest lists `plugins`. */
export async function tempProject(plugins: unknown[] = []): Promise<TempProject> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-test-" });
  const logs: string[] = [];
  const project: TempProject = {
    dir,
    manifestFile: join(dir, "plugins.json"),
    lockFile: join(dir, "plugins.lock.json"),
    cacheDir: join(dir, "cache"),
    logs,
    options: (extra = {}) => ({
      manifestFile: join(dir, "plugins.json"),
      cacheDir: join(dir, "cache"),
      typeCheck: false,
      onLog: (plugin, level, message) => logs.push(`${plugin} ${level}: ${message}`),
      ...extra,
    }),
    writeManifest: (list) =>
      Deno.writeTextFile(
        join(dir, "plugins.json"),
        JSON.stringify({ version: 1, plugins: list }, null, 2),
      ),
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
  await project.writeManifest(plugins);
  return project;
}

/** Opens a runtime on a temporary project, runs `fn`, and always closes and cleans up. */
export async function withRuntime(
  plugins: unknown[],
  fn: (runtime: Runtime, project: TempProject) => void | Promise<void>,
  extra: Partial<RuntimeOptions> = {},
): Promise<void> {
  const project = await tempProject(plugins);
  let runtime: Runtime | undefined;
  try {
    runtime = await openRuntime(project.options(extra));
    await fn(runtime, project);
  } finally {
    await runtime?.close();
    await project.cleanup();
  }
}

/** A manifest entry for the probe fixture under `name`. */
export function probe(name: string, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, source: fixture("probe.ts"), ...more };
}

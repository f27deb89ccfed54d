/**
 * A sandbox for lifecycle tests: repocate's own plugins.json (builtin docker and git plugins,
 * loaded through Workers as in production) with `REPOCATE_HOME` pointing at a temporary folder,
 * the services the core uses, and a cleanup that removes every container, volume and image the
 * test made, even when it fails.
 *
 * @module
 */
import { fromFileUrl, join } from "@std/path";
import { openRuntime, type Runtime } from "../../core/runtime.ts";
import { LABEL, MANAGED } from "../../core/env/labels.ts";
import { Services } from "../../core/env/services.ts";
import { type EnvSettings, envSettings } from "../../core/env/settings.ts";
import { BUSYBOX_IMAGE } from "./docker_engine.ts";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));

/** A running sandbox. */
export interface Sandbox {
  /** Temporary folder holding home, repos and the manifest. */
  dir: string;
  /** Settings with home under `dir` and the busybox test image as default. */
  settings: EnvSettings;
  /** Typed registry calls. */
  services: Services;
  /** The runtime (registry, host). */
  runtime: Runtime;
  /** Progress lines reported so far. */
  progress: string[];
  /** Progress sink for core calls. */
  report: (line: string) => void;
  /** Folder for fixture repositories. */
  repos: string;
}

/** How {@link sandboxManifest} departs from repocate's own manifest. */
export interface SandboxManifestOptions {
  /** Every plugin's `isolation`. */
  isolation?: "worker" | "process";
  /** Only these plugins (default: all). */
  only?: string[];
  /** The engine socket the docker plugin reaches (default: the one `DOCKER_HOST` names). */
  dockerSocket?: string;
}

/**
 * Writes a manifest equal to repocate's own, with `REPOCATE_HOME` set to `home`, changed as
 * `options` say; returns its path.
 */
export async function sandboxManifest(
  dir: string,
  home: string,
  options: SandboxManifestOptions = {},
): Promise<string> {
  let text = (await Deno.readTextFile(join(ROOT, "plugins.json")))
    .replaceAll("${REPOCATE_HOME}", home)
    .replaceAll('"./plugins/', `"${ROOT}plugins/`);
  if (options.dockerSocket) text = text.replaceAll("${DOCKER_SOCKET}", options.dockerSocket);
  const manifest = JSON.parse(text);
  if (options.only) {
    manifest.plugins = manifest.plugins.filter((p: { name: string }) =>
      options.only!.includes(p.name)
    );
  }
  for (const plugin of manifest.plugins) {
    if (options.isolation) plugin.isolation = options.isolation;
    if (options.dockerSocket && plugin.name === "docker") {
      plugin.config = { ...plugin.config, host: `unix://${options.dockerSocket}` };
    }
  }
  const file = join(dir, "plugins.json");
  await Deno.writeTextFile(file, JSON.stringify(manifest, null, 2));
  return file;
}

/** Runs `fn` in a fresh sandbox; always removes what it made. */
export async function withSandbox(
  fn: (s: Sandbox) => Promise<void>,
  options: { isolation?: "worker" | "process" } = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "repocate-life-" });
  const home = join(dir, "home");
  const repos = join(dir, "repos");
  await Deno.mkdir(repos, { recursive: true });
  const manifestFile = await sandboxManifest(dir, home, { isolation: options.isolation });
  const runtime = await openRuntime({
    manifestFile,
    cacheDir: join(dir, "cache"),
    typeCheck: false,
  });
  const services = new Services(runtime.registry);
  const progress: string[] = [];
  try {
    for (const status of runtime.host.list()) {
      if (status.state !== "loaded") {
        throw new Error(`builtin ${status.name} failed: ${status.error?.message}`);
      }
    }
    await fn({
      dir,
      settings: envSettings({ home, defaultImage: BUSYBOX_IMAGE }),
      services,
      runtime,
      progress,
      report: (line) => progress.push(line),
      repos,
    });
  } finally {
    await cleanup(services, home);
    await runtime.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Names of the environments whose workspaces live under `home`. */
async function namesUnder(home: string): Promise<Set<string>> {
  const names = new Set<string>();
  try {
    for await (const entry of Deno.readDir(join(home, "workspaces"))) names.add(entry.name);
  } catch { /* nothing was cloned */ }
  return names;
}

/** Removes containers, home volumes and built images of the environments under `home`. */
async function cleanup(services: Services, home: string): Promise<void> {
  const names = await namesUnder(home);
  const prefix = join(home, "workspaces") + "/";
  const images = new Set<string>();
  for (const c of await services.containers(MANAGED).catch(() => [])) {
    if (!(c.labels[LABEL.workspace] ?? "").startsWith(prefix)) continue;
    names.add(c.labels[LABEL.name]);
    if (c.image.startsWith("repocate/")) images.add(c.image);
    await services.removeContainer(c.id).catch(() => {});
  }
  for (const v of await services.volumes(MANAGED).catch(() => [])) {
    if (names.has(v.labels[LABEL.name])) await services.removeVolume(v.name).catch(() => {});
  }
  for (const image of images) await services.removeImage(image).catch(() => {});
}

/**
 * The Deno flags the repocate host process needs: its own (the manifest and lock, the plugin
 * cache, temporary build folders, running deno to bundle and check plugins) plus the union of
 * every enabled plugin's grants, since a Worker can never hold more than its host.
 *
 * @module
 */
import { dirname, fromFileUrl, join } from "@std/path";
import { toDenoFlags, unionPermissions } from "./manifest/permissions.ts";
import type { Manifest, Permissions } from "./manifest/types.ts";
import { defaultCacheDir } from "./host/cache.ts";
import { denoBinary } from "./host/deno_cli.ts";
import { LOCAL_ENV_NAMES } from "./core/env/local_env.ts";

const ROOT = dirname(fromFileUrl(new URL("./deno.json", import.meta.url)));

/** Environment variables repocate itself reads. */
export const CORE_ENV = [
  "DENO_DIR",
  "DOCKER_HOST",
  "NO_COLOR",
  "REPOCATE_CACHE_DIR",
  "REPOCATE_DEBUG",
  "REPOCATE_DEFAULT_IMAGE",
  "REPOCATE_DENO",
  "REPOCATE_HOME",
  "REPOCATE_MANIFEST",
  "TMPDIR",
  "XDG_CACHE_HOME",
  ...LOCAL_ENV_NAMES,
];

function tempDir(): string {
  return Deno.env.get("TMPDIR") ?? "/tmp";
}

/** What the core needs for `manifest`, before any plugin's grants. */
export function corePermissions(manifest: Manifest): Permissions {
  const home = Deno.env.get("REPOCATE_HOME") ??
    join(Deno.env.get("HOME") ?? "/root", ".repocate");
  const own = [ROOT, dirname(manifest.file), defaultCacheDir(), tempDir(), home];
  return {
    read: own,
    write: [dirname(manifest.file), defaultCacheDir(), tempDir(), home],
    net: false,
    env: CORE_ENV,
    // deno bundles and type-checks plugins; docker runs `repocate enter`'s interactive shell.
    run: [denoBinary(), "docker"],
    sys: false,
    ffi: false,
    import: false,
  };
}

/** The full permissions of the host: the core's plus the union of enabled plugins' grants. */
export function hostPermissions(manifest: Manifest): Permissions {
  return unionPermissions([
    corePermissions(manifest),
    ...manifest.plugins.filter((p) => p.enabled).map((p) => p.permissions),
  ]);
}

/** The `deno run` flags for the host process. */
export function hostFlags(manifest: Manifest): string[] {
  return toDenoFlags(hostPermissions(manifest));
}

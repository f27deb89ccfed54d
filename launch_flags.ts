/**
 * The Deno flags the repocate host process needs: its own (the manifest and lock, the plugin
 * cache, temporary build folders, running deno to bundle and check plugins) plus the union of
 * every enabled plugin's grants, since a Worker can never hold more than its host.
 *
 * @module
 */
import { dirname, fromFileUrl, join, resolve } from "@std/path";
import { denyAll, toDenoFlags, unionPermissions } from "./manifest/permissions.ts";
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

/**
 * The full permissions of the host: the core's plus the union of enabled plugins' grants, plus
 * `extra` (what the command needs, see {@link commandPermissions}).
 */
export function hostPermissions(manifest: Manifest, extra: Permissions[] = []): Permissions {
  return unionPermissions([
    corePermissions(manifest),
    ...manifest.plugins.filter((p) => p.enabled).map((p) => p.permissions),
    ...extra,
  ]);
}

/** The `deno run` flags for the host process (with `extra` grants for the command). */
export function hostFlags(manifest: Manifest, extra: Permissions[] = []): string[] {
  return toDenoFlags(hostPermissions(manifest, extra));
}

/** Global options that take a value, to find the command word behind them. */
const VALUE_OPTIONS = ["--manifest", "--lock", "--cache-dir"];

/** The value of option `name` in `args` (`--name v` or `--name=v`). */
export function optionValue(args: string[], name: string): string | undefined {
  for (const [i, arg] of args.entries()) {
    if (arg === name) return args[i + 1];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}

/**
 * What the command in `args` needs beyond the manifest: for `serve`, `net` on its listen
 * address (`--host`, default 127.0.0.1; `--port`, default 8420) and, with `--token-file`,
 * reading that file and writing its folder. Nothing for other commands.
 */
export function commandPermissions(args: string[]): Permissions[] {
  let i = 0;
  while (i < args.length && args[i].startsWith("-")) i += VALUE_OPTIONS.includes(args[i]) ? 2 : 1;
  if (args[i] !== "serve") return [];
  const rest = args.slice(i + 1);
  const host = (optionValue(rest, "--host") ?? "127.0.0.1").replace(/^\[(.*)\]$/, "$1");
  const port = optionValue(rest, "--port") ?? "8420";
  const tokenFile = optionValue(rest, "--token-file");
  return [{
    ...denyAll(),
    net: [`${host.includes(":") ? `[${host}]` : host}:${port}`],
    ...(tokenFile ? { read: [resolve(tokenFile)], write: [dirname(resolve(tokenFile))] } : {}),
  }];
}

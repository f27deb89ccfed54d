/**
 * repocate's plugin cache: verified bundles by integrity, and type-check passes by content.
 * Lives in `REPOCATE_CACHE_DIR`, else `$XDG_CACHE_HOME/repocate`, else `~/.cache/repocate`.
 * Files are written to a temporary name and renamed, so a crash never leaves half a file.
 *
 * @module
 */
import { join } from "@std/path";
import { sha256 } from "./hash.ts";
import type { LocalFingerprint } from "./local_fingerprint.ts";
import type { PluginReady } from "./plugin_worker.ts";

/** A plugin's registration as cached: what `registerWithRegistry` produced. */
export type CachedRegistration = PluginReady;

/** The cache folder for this process (needs env access to the three variables above). */
export function defaultCacheDir(): string {
  const explicit = Deno.env.get("REPOCATE_CACHE_DIR");
  if (explicit) return explicit;
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  if (xdg) return join(xdg, "repocate");
  return join(Deno.env.get("HOME") ?? ".", ".cache", "repocate");
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
}

/** A plugin cache in one folder. */
export class PluginCache {
  /** The folder. */
  readonly dir: string;

  /** Uses `dir` (created on first write). */
  constructor(dir: string = defaultCacheDir()) {
    this.dir = dir;
  }

  #bundlePath(integrity: string): string {
    return join(this.dir, "bundles", `${integrity.replace(/^sha256-/, "")}.js`);
  }

  /** The bundle stored for `integrity`, or `null`. */
  async readBundle(integrity: string): Promise<string | null> {
    try {
      return await Deno.readTextFile(this.#bundlePath(integrity));
    } catch {
      return null;
    }
  }

  /** Stores the bundle for `integrity`. */
  async writeBundle(integrity: string, code: string): Promise<void> {
    await Deno.mkdir(join(this.dir, "bundles"), { recursive: true });
    await writeAtomic(this.#bundlePath(integrity), code);
  }

  async #checkPath(integrity: string, against: string): Promise<string> {
    const key = await sha256(`${Deno.version.deno}\n${against}\n${integrity}`);
    return join(this.dir, "checks", key.replace(/^sha256-/, ""));
  }

  /** Whether the code of `integrity` passed the type check against interfaces text `against`. */
  async passedCheck(integrity: string, against: string): Promise<boolean> {
    try {
      await Deno.stat(await this.#checkPath(integrity, against));
      return true;
    } catch {
      return false;
    }
  }

  /** Records that the code of `integrity` passed the type check against `against`. */
  async recordCheck(integrity: string, against: string): Promise<void> {
    await Deno.mkdir(join(this.dir, "checks"), { recursive: true });
    await writeAtomic(await this.#checkPath(integrity, against), "ok\n");
  }

  async #fingerprintPath(sourceUrl: string): Promise<string> {
    return join(this.dir, "local", `${(await sha256(sourceUrl)).replace(/^sha256-/, "")}.json`);
  }

  /** The fingerprint recorded for a local plugin's source, or `null`. */
  async readFingerprint(sourceUrl: string): Promise<LocalFingerprint | null> {
    try {
      return JSON.parse(await Deno.readTextFile(await this.#fingerprintPath(sourceUrl)));
    } catch {
      return null;
    }
  }

  /** Records what a local plugin's source was built from. */
  async writeFingerprint(sourceUrl: string, fingerprint: LocalFingerprint): Promise<void> {
    await Deno.mkdir(join(this.dir, "local"), { recursive: true });
    await writeAtomic(await this.#fingerprintPath(sourceUrl), JSON.stringify(fingerprint));
  }

  #registrationPath(key: string): string {
    return join(this.dir, "registrations", `${key.replace(/^sha256-/, "")}.json`);
  }

  /** What a plugin registered when it last loaded with the same code, config and grants. */
  async readRegistration(key: string): Promise<CachedRegistration | null> {
    try {
      return JSON.parse(await Deno.readTextFile(this.#registrationPath(key)));
    } catch {
      return null;
    }
  }

  /** Records what a plugin registered, under `key`. */
  async writeRegistration(key: string, registration: CachedRegistration): Promise<void> {
    await Deno.mkdir(join(this.dir, "registrations"), { recursive: true });
    await writeAtomic(this.#registrationPath(key), JSON.stringify(registration));
  }

  /** Forgets the registration under `key` (its plugin failed to start). */
  async dropRegistration(key: string): Promise<void> {
    await Deno.remove(this.#registrationPath(key)).catch(() => {});
  }
}

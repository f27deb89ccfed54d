/**
 * Reading and writing the manifest and the lock on disk. Writes go to a temporary file that
 * is renamed over the target, so an interrupted write never leaves a corrupt file; the manifest
 * is re-validated before it is written.
 *
 * @module
 */
import { dirname, fromFileUrl, join } from "@std/path";
import { RepocateError } from "../errors.ts";
import { emptyLock, quickParseLock, serializeLock } from "./lock_entries.ts";
import { type ManifestVars, quickParseManifest } from "./normalize.ts";
import type { Lock, Manifest } from "./types.ts";

// The zod schemas, loaded only when the quick checks decline a file: to explain its faults, or
// to judge something unusual. Start-up with well-formed files never loads zod.
const loadParse = () => import("./parse.ts");
const loadLock = () => import("./lock.ts");

/** The repocate source folder. */
const ROOT = dirname(fromFileUrl(new URL("../deno.json", import.meta.url)));

/** The variables manifests may use: HOME, REPOCATE_HOME, REPOCATE_ROOT, DOCKER_SOCKET. */
export function manifestVars(): ManifestVars {
  const home = Deno.env.get("HOME") ?? "/root";
  const dockerHost = Deno.env.get("DOCKER_HOST") ?? "";
  return {
    HOME: home,
    REPOCATE_HOME: Deno.env.get("REPOCATE_HOME") ?? join(home, ".repocate"),
    REPOCATE_ROOT: ROOT,
    DOCKER_SOCKET: dockerHost.startsWith("unix://")
      ? dockerHost.slice("unix://".length)
      : "/var/run/docker.sock",
  };
}

async function readText(file: string, code: "MANIFEST_INVALID" | "LOCK_INVALID"): Promise<string> {
  try {
    return await Deno.readTextFile(file);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound ? "file not found" : (error as Error).message;
    throw new RepocateError(code, `${file}: cannot read: ${why}`);
  }
}

/** Reads and validates the manifest at `file`, including that every local source exists. */
export async function loadManifest(file: string, vars = manifestVars()): Promise<Manifest> {
  const text = await readText(file, "MANIFEST_INVALID");
  const manifest = quickParseManifest(text, file, vars) ??
    (await loadParse()).parseManifest(text, file, vars);
  const faults: string[] = [];
  for (const [i, entry] of manifest.plugins.entries()) {
    if (entry.source.kind !== "local") continue;
    try {
      const info = await Deno.stat(entry.source.path);
      if (!info.isFile) faults.push(`plugins[${i}].source: not a file: ${entry.source.path}`);
    } catch {
      faults.push(`plugins[${i}].source: file not found: ${entry.source.path}`);
    }
  }
  if (faults.length) {
    throw new RepocateError("MANIFEST_INVALID", `${manifest.file}: ${faults.join("; ")}`);
  }
  return manifest;
}

/** Reads the lock at `file`; a missing file is an empty lock. */
export async function readLock(file: string): Promise<Lock> {
  try {
    await Deno.stat(file);
  } catch {
    return emptyLock();
  }
  const text = await readText(file, "LOCK_INVALID");
  return quickParseLock(text) ?? (await loadLock()).parseLock(text, file);
}

/** Writes `text` to `file` through a temporary file and a rename. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = join(dirname(file), `.${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeTextFile(tmp, text);
    await Deno.rename(tmp, file);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/** Writes `lock` to `file`, sorted, atomically. */
export async function writeLock(file: string, lock: Lock): Promise<void> {
  await writeFileAtomic(file, serializeLock(lock));
}

/** The manifest's raw JSON, for edits that keep what the user wrote. */
export type RawManifest = { plugins: Record<string, unknown>[]; [key: string]: unknown };

/**
 * Applies `edit` to the manifest's raw JSON, validates the result as a manifest, and only then
 * writes it back. Returns the new, parsed manifest.
 */
export async function editManifest(
  file: string,
  edit: (raw: RawManifest) => void,
  vars = manifestVars(),
): Promise<Manifest> {
  const { parseManifest } = await loadParse();
  const before = await readText(file, "MANIFEST_INVALID");
  parseManifest(before, file, vars);
  const raw = JSON.parse(before) as RawManifest;
  edit(raw);
  const text = JSON.stringify(raw, null, 2) + "\n";
  const manifest = parseManifest(text, file, vars);
  await writeFileAtomic(file, text);
  return manifest;
}

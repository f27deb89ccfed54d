/**
 * Fingerprints of a local plugin's files, so an unchanged local plugin is not rebuilt on every
 * start: the module graph's `file:` modules (from `deno info`) with their size and mtime. Any
 * change to any of them, or a new deno, means a rebuild.
 *
 * @module
 */
import { fromFileUrl } from "@std/path";
import { configFlag, runDeno } from "./deno_cli.ts";

/** One file of a local plugin's graph. */
export interface FileStamp {
  /** Absolute path. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** Modification time in ms. */
  mtimeMs: number;
}

/** What was built from which files. */
export interface LocalFingerprint {
  /** The built code's integrity (its hash). */
  integrity: string;
  /** The deno that built it. */
  deno: string;
  /** Every local file of the graph. */
  files: FileStamp[];
}

async function stamp(path: string): Promise<FileStamp | null> {
  try {
    const info = await Deno.stat(path);
    return { path, size: info.size, mtimeMs: info.mtime?.getTime() ?? 0 };
  } catch {
    return null;
  }
}

/** The local files of `specifier`'s module graph, stamped; `null` when deno cannot tell. */
export async function stampGraph(specifier: string): Promise<FileStamp[] | null> {
  const run = await runDeno(["info", "--json", "--no-lock", configFlag(), specifier]);
  if (run.code !== 0) return null;
  const info = JSON.parse(run.stdout) as { modules: { specifier: string }[] };
  const paths = info.modules.map((m) => m.specifier).filter((s) => s.startsWith("file:")).map((s) =>
    fromFileUrl(s)
  );
  const stamps = await Promise.all(paths.sort().map(stamp));
  return stamps.every((s) => s !== null) ? stamps as FileStamp[] : null;
}

/** Whether every stamped file is still as it was, under the same deno. */
export async function stillFresh(fingerprint: LocalFingerprint): Promise<boolean> {
  if (fingerprint.deno !== Deno.version.deno || fingerprint.files.length === 0) return false;
  for (const old of fingerprint.files) {
    const now = await stamp(old.path);
    if (!now || now.size !== old.size || now.mtimeMs !== old.mtimeMs) return false;
  }
  return true;
}

/**
 * One creation at a time per environment name, across processes: a lock file made with
 * `createNew` holds the owner's pid; a lock whose process is gone is taken over.
 *
 * @module
 */
import { join } from "@std/path";
import { RepocateError } from "../../errors.ts";

function alive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Takes the lock for `name` in `dir`; returns its release function. Throws `USAGE` when held,
 * and `ACTION_FAILED` naming `dir` when the lock cannot be written (e.g. a read-only disk).
 */
export async function acquireCreateLock(dir: string, name: string): Promise<() => Promise<void>> {
  try {
    return await takeLock(dir, name);
  } catch (error) {
    throw diskFailure(`take the lock for environment "${name}"`, dir, error);
  }
}

/**
 * A failed file operation of the core as a one-line `ACTION_FAILED` naming what it was doing
 * and `path` (and saying when `path` is on a read-only filesystem). Repocate's own errors and a
 * missing Deno permission are returned as they are.
 */
export function diskFailure(doing: string, path: string, error: unknown): unknown {
  if (error instanceof RepocateError || error instanceof Deno.errors.NotCapable) return error;
  const why = (error as { code?: unknown } | null)?.code === "EROFS"
    ? `${path} is on a read-only filesystem`
    : `${path}: ${error instanceof Error ? error.message : String(error)}`;
  return new RepocateError("ACTION_FAILED", `cannot ${doing}: ${why}; nothing was changed`, {
    cause: error,
  });
}

async function takeLock(dir: string, name: string): Promise<() => Promise<void>> {
  await Deno.mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    // The pid is written to a private file first and then linked into place, so the lock
    // file never exists empty (a reader would take an empty lock for a dead owner's).
    const mine = `${file}.${crypto.randomUUID()}`;
    await Deno.writeTextFile(mine, `${Deno.pid}\n`);
    try {
      await Deno.link(mine, file);
      return () => Deno.remove(file).catch(() => {});
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      const pid = Number((await Deno.readTextFile(file).catch(() => "")).trim());
      if (pid && alive(pid)) {
        throw new RepocateError(
          "USAGE",
          `environment "${name}" is being created or changed by another repocate (pid ${pid}); ` +
            `wait for it to finish`,
        );
      }
      await Deno.remove(file).catch(() => {});
    } finally {
      await Deno.remove(mine).catch(() => {});
    }
  }
  throw new RepocateError("INTERNAL", `cannot take the lock ${file}`);
}

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

/** Takes the lock for `name` in `dir`; returns its release function. Throws `USAGE` when held. */
export async function acquireCreateLock(dir: string, name: string): Promise<() => Promise<void>> {
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

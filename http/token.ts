/**
 * The service's bearer token, kept in a file only its owner can read: created on first use
 * (32 random bytes as hex, mode 0600, its folder made with mode 0700), read on later starts.
 * A token file that others may read is refused rather than trusted.
 *
 * Needs: `read` and `write` on the file's folder.
 *
 * @module
 */
import { dirname } from "@std/path";
import { RepocateError } from "../errors.ts";

/** A new random token: 32 bytes from the system's CSPRNG, as 64 hex digits. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Reads the token in `file`, or creates the file with a new one. Returns it and whether new. */
export async function loadOrCreateToken(
  file: string,
): Promise<{ token: string; created: boolean }> {
  try {
    const info = await Deno.stat(file);
    if (info.mode !== null && (info.mode & 0o077) !== 0) {
      throw new RepocateError(
        "USAGE",
        `token file ${file} can be read by others (mode ${(info.mode & 0o777).toString(8)}); ` +
          `run chmod 600 ${file}`,
      );
    }
    const token = (await Deno.readTextFile(file)).trim();
    if (token.length < 16 || /\s/.test(token)) {
      throw new RepocateError(
        "USAGE",
        `token file ${file} must hold one token of at least 16 characters; delete it to get a new one`,
      );
    }
    return { token, created: false };
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const token = newToken();
  try {
    await Deno.writeTextFile(file, token + "\n", { createNew: true, mode: 0o600 });
  } catch (error) {
    // Another server created it between our stat and write: use theirs.
    if (error instanceof Deno.errors.AlreadyExists) return loadOrCreateToken(file);
    throw error;
  }
  await Deno.chmod(file, 0o600);
  return { token, created: true };
}

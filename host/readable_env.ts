/**
 * Reads environment variables without failing on the ones this process was not granted: the
 * launcher gives repocate a fixed list (launch_flags.ts), and a variable outside it reads as unset.
 *
 * @module
 */

/** The value of `name`, or `undefined` when it is unset or this process may not read it. */
export function readableEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/**
 * Parses, compares and writes `plugins.lock.json`. Pure: the caller does the I/O, and
 * {@link serializeLock} is the only way a lock is turned into text (sorted keys, final newline).
 * The zod-free parts live in lock_entries.ts (start-up reads locks without zod).
 *
 * @module
 */
import { z } from "zod";
import { RepocateError } from "../errors.ts";
import { faultList, issueText, oneLine } from "./parse.ts";
import type { Lock } from "./types.ts";

const hash = z.string().regex(/^sha256-[0-9a-f]{64}$/, "must be sha256-<64 hex digits>");

const lockSchema = z.strictObject({
  version: z.literal(1),
  plugins: z.record(
    z.url({ protocol: /^https?$/ }),
    z.strictObject({ integrity: hash, modules: z.record(z.string().min(1), hash) }),
  ),
});

/** The lock's zod-free data functions, defined in lock_entries.ts. */
export {
  diffModules,
  emptyLock,
  mismatchError,
  type ModuleChange,
  serializeLock,
  withEntry,
  withoutEntry,
} from "./lock_entries.ts";

/** Parses lock `text` read from `file`; throws `LOCK_INVALID` naming each fault's JSON path. */
export function parseLock(text: string, file: string): Lock {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new RepocateError(
      "LOCK_INVALID",
      `${file}: not valid JSON: ${oneLine((error as Error).message, 400)}`,
    );
  }
  const parsed = lockSchema.safeParse(data);
  if (!parsed.success) {
    const faults = parsed.error.issues.map(issueText);
    throw new RepocateError("LOCK_INVALID", `${file}: ${faultList(faults)}`);
  }
  return parsed.data as Lock;
}

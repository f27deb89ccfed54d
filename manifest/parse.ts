/**
 * Parses and validates `plugins.json` text into a {@link Manifest}. Pure: the caller reads the
 * file and supplies the variables that permission paths and config strings may use.
 *
 * The schema is zod's (schema.ts); the normalization after it is normalize.ts's, which also
 * holds a zod-free quick path for start-up (manifest/io.ts).
 *
 * @module
 */
import type { z } from "zod";
import { manifestSchema } from "./schema.ts";
import {
  formatJsonPath,
  manifestFault,
  type ManifestVars,
  normalizeManifest,
  type ValidManifestData,
} from "./normalize.ts";
import type { Manifest } from "./types.ts";

/** Fault formatting shared with the devcontainer and HTTP code, defined in normalize.ts. */
export { faultList, formatJsonPath, type ManifestVars, oneLine } from "./normalize.ts";

/** One zod issue as `json.path: message`, unknown keys named one by one. */
export function issueText(issue: z.core.$ZodIssue): string {
  const at = formatJsonPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => `${formatJsonPath([...issue.path, key])}: unknown key`).join(
      "; ",
    );
  }
  if (issue.code === "invalid_union" && issue.path.at(-2) === "permissions") {
    return `${at}: must be true, false or a list of strings`;
  }
  return `${at}: ${issue.message}`;
}

/**
 * Parses manifest `text` read from `file`. Throws a `MANIFEST_INVALID` RepocateError
 * whose one-line message lists every fault with its JSON path.
 */
export function parseManifest(text: string, file: string, vars: ManifestVars = {}): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw manifestFault(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  let parsed;
  try {
    parsed = manifestSchema.safeParse(data);
  } catch (error) {
    // zod validates `config` recursively: a value nested thousands deep overflows the stack.
    if (error instanceof RangeError) throw manifestFault(file, ["(root): nested too deeply"]);
    throw error;
  }
  if (!parsed.success) throw manifestFault(file, parsed.error.issues.map(issueText));
  return normalizeManifest(parsed.data as ValidManifestData, file, vars);
}

/**
 * Parses and validates `plugins.json` text into a {@link Manifest}. Pure: the caller reads the
 * file and supplies the variables that permission paths and config strings may use.
 *
 * @module
 */
import { dirname, isAbsolute, resolve } from "@std/path";
import type { z } from "zod";
import type { JsonObject, JsonValue } from "../interfaces.ts";
import { RepocateError } from "../errors.ts";
import { manifestSchema, PERMISSION_KEYS } from "./schema.ts";
import { resolveSource } from "./source.ts";
import type { Grant, Manifest, Permissions, PluginEntry } from "./types.ts";

/** Variables `${NAME}` that permission entries and config strings may use. */
export type ManifestVars = Readonly<Record<string, string>>;

/** Formats a JSON path the way JavaScript would write it: `plugins[1].permissions.read[0]`. */
export function formatJsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(part))) out += (out ? "." : "") + String(part);
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || "(root)";
}

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

/** Most faults one message lists; the rest are counted. */
const MAX_FAULTS = 8;

/** `text` on one line (line breaks shown as `\n`, `\r`), cut at `max` characters. */
export function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\r/g, "\\r").replace(/\n/g, "\\n");
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** `faults` as one line: each on one line and cut short, the first {@link MAX_FAULTS} shown. */
export function faultList(faults: readonly string[]): string {
  const more = faults.length - MAX_FAULTS;
  return faults.slice(0, MAX_FAULTS).map((f) => oneLine(f)).join("; ") +
    (more > 0 ? `; and ${more} more` : "");
}

function fault(file: string, faults: string[]): RepocateError {
  return new RepocateError("MANIFEST_INVALID", `${file}: ${faultList(faults)}`);
}

/** Replaces `${NAME}` in `text`; unknown names are reported as faults at `at`. */
function expand(text: string, vars: ManifestVars, at: string, faults: string[]): string {
  return text.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (whole, name: string) => {
    if (name in vars) return vars[name];
    faults.push(
      `${at}: unknown variable \${${name}} (known: ${Object.keys(vars).join(", ") || "none"})`,
    );
    return whole;
  });
}

function normalizeGrant(
  key: string,
  grant: Grant | undefined,
  baseDir: string,
  vars: ManifestVars,
  at: string,
  faults: string[],
): Grant {
  if (grant === undefined) return false;
  if (typeof grant === "boolean") return grant;
  const pathLike = key === "read" || key === "write";
  const out = grant.map((value, i) => {
    const expanded = expand(value, vars, `${at}[${i}]`, faults);
    if (pathLike && !isAbsolute(expanded)) return resolve(baseDir, expanded);
    if (key === "run" && expanded.includes("/") && !isAbsolute(expanded)) {
      return resolve(baseDir, expanded);
    }
    return expanded;
  });
  return [...new Set(out)].sort();
}

function expandJson(
  value: JsonValue,
  vars: ManifestVars,
  path: PropertyKey[],
  faults: string[],
): JsonValue {
  if (typeof value === "string") return expand(value, vars, formatJsonPath(path), faults);
  if (Array.isArray(value)) return value.map((v, i) => expandJson(v, vars, [...path, i], faults));
  if (value && typeof value === "object") {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandJson(v, vars, [...path, k], faults);
    return out;
  }
  return value;
}

/**
 * Parses manifest `text` read from `file`. Throws a `MANIFEST_INVALID` {@link RepocateError}
 * whose one-line message lists every fault with its JSON path.
 */
export function parseManifest(text: string, file: string, vars: ManifestVars = {}): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw fault(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  let parsed;
  try {
    parsed = manifestSchema.safeParse(data);
  } catch (error) {
    // zod validates `config` recursively: a value nested thousands deep overflows the stack.
    if (error instanceof RangeError) throw fault(file, ["(root): nested too deeply"]);
    throw error;
  }
  if (!parsed.success) throw fault(file, parsed.error.issues.map(issueText));

  const baseDir = dirname(resolve(file));
  const faults: string[] = [];
  const seen = new Map<string, number>();
  const plugins: PluginEntry[] = parsed.data.plugins.map((raw, index) => {
    const at = `plugins[${index}]`;
    const first = seen.get(raw.name);
    if (first !== undefined) {
      faults.push(`${at}.name: duplicate plugin name "${raw.name}" (first at plugins[${first}])`);
    } else seen.set(raw.name, index);

    let source: PluginEntry["source"] = { kind: "local", path: "", url: "" };
    try {
      source = resolveSource(expand(raw.source, vars, `${at}.source`, faults), baseDir);
    } catch (error) {
      faults.push(`${at}.source: ${(error as Error).message}`);
    }
    const permissions = Object.fromEntries(
      PERMISSION_KEYS.map((key) => [
        key,
        normalizeGrant(
          key,
          raw.permissions[key],
          baseDir,
          vars,
          `${at}.permissions.${key}`,
          faults,
        ),
      ]),
    ) as Permissions;
    return {
      name: raw.name,
      sourceText: raw.source,
      source,
      description: raw.description,
      enabled: raw.enabled,
      permissions,
      timeouts: raw.timeouts,
      config: expandJson(
        raw.config as JsonObject,
        vars,
        ["plugins", index, "config"],
        faults,
      ) as JsonObject,
    };
  });
  if (faults.length) throw fault(file, faults);
  return { file: resolve(file), plugins };
}

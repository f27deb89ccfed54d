/**
 * The zod-free half of reading `plugins.json`: fault formatting, the normalization of entries
 * that passed the schema (variables, paths, sources, duplicate names), and a quick check that
 * accepts plain, well-formed manifests without zod. parse.ts pairs the normalization with the
 * zod schema; manifest/io.ts tries {@link quickParseManifest} first and loads zod only when it
 * declines (a manifest with a fault, or one too unusual for the quick check to vouch for).
 *
 * @module
 */
import { dirname, isAbsolute, resolve } from "@std/path";
import type { JsonObject, JsonValue } from "../interfaces.ts";
import { RepocateError } from "../errors.ts";
import { PERMISSION_KEYS, type PermissionKey, PLUGIN_NAME } from "./keys.ts";
import { resolveSource } from "./source.ts";
import type { Grant, Manifest, Permissions, PluginEntry } from "./types.ts";

/** Variables `${NAME}` that permission entries and config strings may use. */
export type ManifestVars = Readonly<Record<string, string>>;

/** A manifest as the schema outputs it (defaults filled in), before normalization. */
export interface ValidManifestData {
  /** The plugin entries. */
  plugins: {
    name: string;
    source: string;
    description?: string;
    enabled: boolean;
    permissions: Partial<Record<PermissionKey, Grant>>;
    timeouts: { initMs: number; callMs: number };
    memoryMb?: number;
    isolation?: "worker" | "process";
    config: Record<string, unknown>;
  }[];
}

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

/** The `MANIFEST_INVALID` error for `faults` of `file`. */
export function manifestFault(file: string, faults: string[]): RepocateError {
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
 * Normalizes a manifest that passed the schema: expands variables, resolves paths and sources,
 * refuses duplicate names. Throws `MANIFEST_INVALID` listing every fault.
 */
export function normalizeManifest(
  data: ValidManifestData,
  file: string,
  vars: ManifestVars,
): Manifest {
  const baseDir = dirname(resolve(file));
  const faults: string[] = [];
  const seen = new Map<string, number>();
  const plugins: PluginEntry[] = data.plugins.map((raw, index) => {
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
    const isolation = raw.isolation ?? (source.kind === "remote" ? "process" : "worker");
    if (raw.memoryMb !== undefined && isolation !== "process") {
      faults.push(
        `${at}.memoryMb: needs "isolation": "process" (a Worker's heap cannot be capped)`,
      );
    }
    return {
      name: raw.name,
      sourceText: raw.source,
      source,
      description: raw.description,
      enabled: raw.enabled,
      permissions,
      timeouts: raw.timeouts,
      isolation,
      ...(raw.memoryMb === undefined ? {} : { memoryMb: raw.memoryMb }),
      config: expandJson(
        raw.config as JsonObject,
        vars,
        ["plugins", index, "config"],
        faults,
      ) as JsonObject,
    };
  });
  if (faults.length) throw manifestFault(file, faults);
  return { file: resolve(file), plugins };
}

// The quick check. It vouches only for what the zod schema (schema.ts) surely accepts and
// returns the same output; anything else (a fault, a key named __proto__, deep nesting) it
// leaves to zod, which then reports or accepts it exactly as before. manifest/quick_test.ts
// compares the two on many generated manifests.

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype;
}

/** Whether `value` has only keys from `allowed`. */
function onlyKeys(value: Obj, allowed: readonly string[]): boolean {
  return Object.keys(value).every((k) => allowed.includes(k));
}

/** Deeper config values are left to zod, which decides when nesting is too deep. */
const MAX_QUICK_DEPTH = 32;

/** Whether `value` is plain JSON the quick check can copy: no `__proto__` key, not too deep. */
function plainJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (depth >= MAX_QUICK_DEPTH) return false;
  if (Array.isArray(value)) return value.every((v) => plainJson(v, depth + 1));
  if (!isObject(value)) return false;
  return Object.keys(value).every((k) => k !== "__proto__" && plainJson(value[k], depth + 1));
}

/** `true` or `false`, or a list of at most 256 non-empty strings; else `undefined`. */
function quickGrant(value: unknown): Grant | undefined {
  if (typeof value === "boolean") return value;
  if (!Array.isArray(value) || value.length > 256) return undefined;
  return value.every((v) => typeof v === "string" && v.length > 0) ? [...value] : undefined;
}

function quickTimeout(value: unknown, fallback: number, max: number): number | undefined {
  if (value === undefined) return fallback;
  return typeof value === "number" && Number.isInteger(value) && value >= 10 && value <= max
    ? value
    : undefined;
}

const ENTRY_KEYS = [
  "name",
  "source",
  "description",
  "enabled",
  "permissions",
  "timeouts",
  "isolation",
  "memoryMb",
  "config",
] as const;

function quickEntry(raw: unknown): ValidManifestData["plugins"][number] | null {
  if (!isObject(raw) || !onlyKeys(raw, ENTRY_KEYS)) return null;
  const { name, source, description, enabled, permissions, timeouts, isolation, memoryMb, config } =
    raw;
  if (typeof name !== "string" || !PLUGIN_NAME.test(name)) return null;
  if (typeof source !== "string" || source.length === 0) return null;
  if (description !== undefined && (typeof description !== "string" || description.length > 200)) {
    return null;
  }
  if (enabled !== undefined && typeof enabled !== "boolean") return null;
  const grants: Partial<Record<PermissionKey, Grant>> = {};
  if (permissions !== undefined) {
    if (!isObject(permissions) || !onlyKeys(permissions, PERMISSION_KEYS)) return null;
    for (const key of PERMISSION_KEYS) {
      if (!(key in permissions)) continue;
      const grant = quickGrant(permissions[key]);
      if (grant === undefined) return null;
      grants[key] = grant;
    }
  }
  let initMs: number | undefined = 10_000;
  let callMs: number | undefined = 600_000;
  if (timeouts !== undefined) {
    if (!isObject(timeouts) || !onlyKeys(timeouts, ["initMs", "callMs"])) return null;
    initMs = quickTimeout(timeouts.initMs, 10_000, 600_000);
    callMs = quickTimeout(timeouts.callMs, 600_000, 86_400_000);
    if (initMs === undefined || callMs === undefined) return null;
  }
  if (isolation !== undefined && isolation !== "worker" && isolation !== "process") return null;
  if (
    memoryMb !== undefined &&
    (typeof memoryMb !== "number" || !Number.isInteger(memoryMb) || memoryMb < 16 ||
      memoryMb > 65_536)
  ) return null;
  if (config !== undefined && (!isObject(config) || !plainJson(config, 0))) return null;
  return {
    name,
    source,
    ...(description === undefined ? {} : { description }),
    enabled: enabled ?? true,
    permissions: grants,
    timeouts: { initMs, callMs },
    ...(isolation === undefined ? {} : { isolation }),
    ...(memoryMb === undefined ? {} : { memoryMb }),
    config: config === undefined ? {} : structuredClone(config),
  };
}

/**
 * The schema's output for `data` when the quick check can vouch that the zod schema accepts it,
 * else `null` (invalid, or unusual: zod decides).
 */
export function quickCheckManifest(data: unknown): ValidManifestData | null {
  if (!isObject(data) || !onlyKeys(data, ["$schema", "version", "plugins"])) return null;
  if (data.$schema !== undefined && typeof data.$schema !== "string") return null;
  if (data.version !== 1) return null;
  const { plugins } = data;
  if (!Array.isArray(plugins) || plugins.length > 500) return null;
  const out: ValidManifestData["plugins"] = [];
  for (const raw of plugins) {
    const entry = quickEntry(raw);
    if (!entry) return null;
    out.push(entry);
  }
  return { plugins: out };
}

/**
 * Parses manifest `text` without zod when the quick check vouches for it: the same manifest
 * (or the same normalization fault) `parseManifest` gives. `null` means "ask parseManifest".
 */
export function quickParseManifest(
  text: string,
  file: string,
  vars: ManifestVars = {},
): Manifest | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const valid = quickCheckManifest(data);
  return valid && normalizeManifest(valid, file, vars);
}

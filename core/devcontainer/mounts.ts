/**
 * Mounts from devcontainer.json: the `docker run --mount` string
 * (`source=...,target=...,type=bind,readonly`), the object form `{ type, source, target }`, and
 * `-v source:target[:ro]` from runArgs. Pure.
 *
 * Limits: the string is split on `,` (Docker's CSV quoting is not supported); `tmpfs` and other
 * types are not supported and are skipped with a warning; Docker-only options (`consistency`,
 * `bind-propagation`, `volume-opt`...) are ignored, all but `consistency` with a warning.
 *
 * @module
 */
import { isAbsolute } from "@std/path";
import type { Mount } from "./types.ts";

/** Where faults and warnings go, and the JSON path of the value being read. */
export interface MountReport {
  /** JSON path of the value, e.g. `mounts[2]`. */
  at: string;
  /** Faults (the config is rejected). */
  faults: string[];
  /** Warnings (the config is used). */
  warnings: string[];
}

/** Docker's volume name rule. */
const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]+$/;

const IGNORED_OPTIONS = new Set([
  "bind-propagation",
  "bind-recursive",
  "bind-nonrecursive",
  "volume-nocopy",
  "volume-driver",
  "volume-label",
  "volume-opt",
  "volume-subpath",
  "tmpfs-size",
  "tmpfs-mode",
]);

/** Checks a mount's parts and builds it; `undefined` after a fault or an unsupported type. */
function checked(
  type: string,
  source: string | undefined,
  target: string | undefined,
  readonly: boolean,
  report: MountReport,
): Mount | undefined {
  const { at, faults, warnings } = report;
  if (type !== "bind" && type !== "volume") {
    warnings.push(`${at}: mount type "${type}" is not supported (bind or volume); skipped`);
    return undefined;
  }
  const before = faults.length;
  if (!target) faults.push(`${at}: mount has no target`);
  else if (!target.startsWith("/")) faults.push(`${at}: mount target must be absolute: ${target}`);
  if (!source) faults.push(`${at}: ${type} mount has no source`);
  else if (type === "bind" && !isAbsolute(source)) {
    faults.push(`${at}: bind mount source must be an absolute path: ${source}`);
  } else if (type === "volume" && !VOLUME_NAME.test(source)) {
    faults.push(`${at}: volume name must match ${VOLUME_NAME.source}: ${source}`);
  }
  if (faults.length > before) return undefined;
  return { type, source: source!, target: target!, readonly };
}

function parseBool(value: string | undefined, at: string, faults: string[]): boolean {
  if (value === undefined || value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  faults.push(`${at}: readonly must be true, false, 1 or 0, not "${value}"`);
  return false;
}

/** Parses the `--mount` string form; Docker's default type is `volume`. */
export function parseMountString(text: string, report: MountReport): Mount | undefined {
  let type = "volume";
  let source: string | undefined;
  let target: string | undefined;
  let readonly = false;
  for (const field of text.split(",")) {
    if (field.trim() === "") continue;
    const eq = field.indexOf("=");
    const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? undefined : field.slice(eq + 1).trim();
    if (key === "readonly" || key === "ro") {
      readonly = parseBool(value, report.at, report.faults);
    } else if (value === undefined) {
      report.faults.push(`${report.at}: mount option "${key}" needs a value`);
    } else if (key === "type") type = value;
    else if (key === "source" || key === "src") source = value;
    else if (key === "target" || key === "destination" || key === "dst") target = value;
    else if (key === "consistency") continue;
    else if (IGNORED_OPTIONS.has(key)) {
      report.warnings.push(`${report.at}: mount option "${key}" is not supported; ignored`);
    } else report.faults.push(`${report.at}: unknown mount option "${key}"`);
  }
  return checked(type, source, target, readonly, report);
}

/** Parses the object form `{ type, source, target }` (zod has checked the types). */
export function parseMountObject(
  value: { type: string; source?: string; target: string; [key: string]: unknown },
  report: MountReport,
): Mount | undefined {
  for (const key of Object.keys(value)) {
    if (!["type", "source", "target"].includes(key)) {
      report.warnings.push(`${report.at}.${key}: unknown mount property; ignored`);
    }
  }
  return checked(value.type, value.source, value.target, false, report);
}

/** Parses `-v`/`--volume` `source:target[:options]`: an absolute source is a bind mount. */
export function parseVolumeFlag(text: string, report: MountReport): Mount | undefined {
  const [source, target, options, ...rest] = text.split(":");
  if (target === undefined || rest.length > 0) {
    report.faults.push(`${report.at}: volume must be "source:target[:ro]": ${text}`);
    return undefined;
  }
  const flags = (options ?? "").split(",").filter(Boolean);
  for (const flag of flags) {
    if (flag !== "ro" && flag !== "rw") {
      report.warnings.push(`${report.at}: volume option "${flag}" is not supported; ignored`);
    }
  }
  const type = source.startsWith("/") ? "bind" : "volume";
  return checked(type, source, target, flags.includes("ro"), report);
}

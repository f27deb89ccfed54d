/**
 * Where environments live and what they default to: `REPOCATE_HOME` (default `~/.repocate`)
 * holds `workspaces/<name>` and `locks/`; `REPOCATE_DEFAULT_IMAGE` is the image of a repository
 * with neither devcontainer.json nor Dockerfile.
 *
 * @module
 */
import { join } from "@std/path";

/** The lifecycle's settings. */
export interface EnvSettings {
  /** repocate's home folder. */
  home: string;
  /** Parent of every workspace. */
  workspaces: string;
  /** Per-environment creation locks. */
  locks: string;
  /** Image for repositories without devcontainer.json or Dockerfile. */
  defaultImage: string;
}

/** The default image when `REPOCATE_DEFAULT_IMAGE` is not set. */
export const DEFAULT_IMAGE = "debian:bookworm-slim";

/** Reads the settings from the environment (HOME, REPOCATE_HOME, REPOCATE_DEFAULT_IMAGE). */
export function envSettings(overrides: Partial<EnvSettings> = {}): EnvSettings {
  const home = overrides.home ?? Deno.env.get("REPOCATE_HOME") ??
    join(Deno.env.get("HOME") ?? "/root", ".repocate");
  return {
    home,
    workspaces: overrides.workspaces ?? join(home, "workspaces"),
    locks: overrides.locks ?? join(home, "locks"),
    defaultImage: overrides.defaultImage ?? Deno.env.get("REPOCATE_DEFAULT_IMAGE") ?? DEFAULT_IMAGE,
  };
}

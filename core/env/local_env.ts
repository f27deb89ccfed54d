/**
 * The host environment variables devcontainer.json may read through `${localEnv:NAME}`: only
 * those this process is allowed to see, so a missing grant is a missing value, not a crash.
 *
 * @module
 */

import { readableEnv } from "../../host/readable_env.ts";

/** Names offered to `${localEnv:…}`. */
export const LOCAL_ENV_NAMES = ["HOME", "USER", "LANG", "TZ", "SHELL", "TERM"];

/** The readable subset of {@link LOCAL_ENV_NAMES}. */
export function localEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of LOCAL_ENV_NAMES) {
    const value = readableEnv(name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

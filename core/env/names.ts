/**
 * Environment names: docker-safe, path-safe, lowercase. Pure.
 *
 * @module
 */
import { RepocateError } from "../../errors.ts";

/** The pattern every environment name matches. */
export const ENV_NAME = /^[a-z0-9][a-z0-9_.-]{0,47}$/;

/** Throws `USAGE` unless `name` is a valid environment name. */
export function checkEnvName(name: string): string {
  if (!ENV_NAME.test(name) || name.includes("..")) {
    throw new RepocateError(
      "USAGE",
      `invalid environment name ${JSON.stringify(name)}: use 1-48 lowercase letters, digits and ` +
        `_.- starting with a letter or digit`,
    );
  }
  return name;
}

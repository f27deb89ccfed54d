/**
 * The subset of `@std/assert` repocate's tests use, on `node:assert/strict`.
 *
 * JSR (where `@std/assert` lives) is not reachable from these machines, so deno.json maps
 * `@std/assert` to this file. The names and argument orders follow Deno std, so the mapping can
 * point back at `jsr:@std/assert` without touching a test.
 *
 * @module
 */
import nodeAssert from "node:assert/strict";

/** Throws when `condition` is falsy. */
export function assert(condition: unknown, message?: string): asserts condition {
  nodeAssert.ok(condition, message);
}

/** Throws unless `actual` deeply equals `expected`. */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

/** Throws when `actual` deeply equals `expected`. */
export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, message);
}

/** Throws unless `actual` contains `expected`. */
export function assertStringIncludes(actual: string, expected: string, message?: string): void {
  if (!actual.includes(expected)) {
    throw new nodeAssert.AssertionError({
      message: message ??
        `Expected ${JSON.stringify(actual)} to include ${JSON.stringify(expected)}`,
    });
  }
}

/** Throws unless `actual` matches `expected`. */
export function assertMatch(actual: string, expected: RegExp, message?: string): void {
  nodeAssert.match(actual, expected, message);
}

/** Throws unless `fn` throws; returns the error. Checks its class and message when given. */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  ErrorClass?: new (...args: any[]) => E,
  msgIncludes?: string,
): E {
  try {
    fn();
  } catch (error) {
    return checkError(error, ErrorClass, msgIncludes);
  }
  throw new nodeAssert.AssertionError({ message: "Expected function to throw." });
}

/** Throws unless `fn` rejects; returns the error. Checks its class and message when given. */
export async function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown>,
  // deno-lint-ignore no-explicit-any
  ErrorClass?: new (...args: any[]) => E,
  msgIncludes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (error) {
    return checkError(error, ErrorClass, msgIncludes);
  }
  throw new nodeAssert.AssertionError({ message: "Expected function to reject." });
}

function checkError<E extends Error>(
  error: unknown,
  // deno-lint-ignore no-explicit-any
  ErrorClass?: new (...args: any[]) => E,
  msgIncludes?: string,
): E {
  if (ErrorClass && !(error instanceof ErrorClass)) {
    throw new nodeAssert.AssertionError({
      message: `Expected error to be instance of "${ErrorClass.name}", but was "${
        (error as Error)?.constructor?.name
      }": ${(error as Error)?.message}`,
    });
  }
  if (msgIncludes !== undefined && !String((error as Error)?.message).includes(msgIncludes)) {
    throw new nodeAssert.AssertionError({
      message: `Expected error message to include ${JSON.stringify(msgIncludes)}, but got ${
        JSON.stringify((error as Error)?.message)
      }`,
    });
  }
  return error as E;
}

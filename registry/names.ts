/**
 * Name rules for registry entries. Pure.
 *
 * @module
 */

/** Action names: dotted lowercase segments, at least two (`git.clone`, `docker.container.start`). */
export const ACTION_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** Item kinds: lowercase words joined by dashes. */
export const ITEM_KIND = /^[a-z][a-z0-9-]{0,62}$/;

/** Item names: printable, no slashes or spaces, at most 200 characters. */
export const ITEM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,199}$/;

/** Throws `TypeError` unless `name` is a valid action name. */
export function checkActionName(name: unknown): asserts name is string {
  if (typeof name !== "string" || !ACTION_NAME.test(name) || name.length > 128) {
    throw new TypeError(
      `invalid action name ${JSON.stringify(name)}: use dotted lowercase words such as "git.clone"`,
    );
  }
}

/** Throws `TypeError` unless `kind` and `name` form a valid item key. */
export function checkItemKey(kind: unknown, name: unknown): asserts kind is string {
  if (typeof kind !== "string" || !ITEM_KIND.test(kind)) {
    throw new TypeError(
      `invalid item kind ${JSON.stringify(kind)}: use lowercase words and dashes`,
    );
  }
  if (typeof name !== "string" || !ITEM_NAME.test(name)) {
    throw new TypeError(
      `invalid item name ${JSON.stringify(name)}: letters, digits and _.:@+- only, no slashes`,
    );
  }
}

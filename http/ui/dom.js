/**
 * A tiny element builder. Children are appended as nodes or text, never parsed as HTML, so
 * names, paths and error messages from the server cannot inject markup.
 *
 * @module
 */

/**
 * Makes `<tag>` with `attrs` (`class`, `testid` for data-testid, `on<event>` listeners, others
 * as attributes; null or false skipped, true as an empty attribute) and `children`.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "testid") el.dataset.testid = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  el.append(...children.flat().filter((c) => c != null && c !== false));
  return el;
}

/** A badge for a state word: `class="badge state-<word>"`. */
export function badge(state, testid) {
  const word = String(state || "unknown");
  return h("span", { class: `badge state-${word.replace(/[^a-z-]/gi, "")}`, testid }, word);
}

/**
 * The plugins table: state, source, grants (risky ones marked, with the reason as text for
 * screen readers and as a tooltip), load errors and warnings.
 *
 * @module
 */
import { badge, h } from "./dom.js";
import { permissionChips } from "./format.js";

function permissions(perms, risky) {
  const chips = Array.isArray(risky) ? permissionChips(perms, risky) : permissionChips(perms);
  if (!chips.length) return h("span", { class: "muted" }, "none");
  return h(
    "ul",
    { class: "chips" },
    chips.map((c) =>
      h(
        "li",
        {
          class: c.risk ? "chip risk" : "chip",
          title: c.risk ?? null,
          testid: c.risk ? "perm-risk" : "perm",
        },
        h("b", {}, c.key),
        " ",
        c.text,
        c.risk ? h("span", { class: "sr-only" }, ` (risk: ${c.risk})`) : null,
      )
    ),
  );
}

function notes(plugin) {
  const lines = [];
  if (plugin.error) {
    lines.push(
      h(
        "p",
        { class: "error-text", testid: "plugin-error" },
        `${plugin.error.code}: ${plugin.error.message}`,
      ),
    );
  }
  for (const w of plugin.warnings ?? []) {
    lines.push(h("p", { class: "warning-text" }, typeof w === "string" ? w : JSON.stringify(w)));
  }
  return lines.length ? lines : h("span", { class: "muted" }, "-");
}

/** Shows `plugins` in `tbody`. */
export function renderPlugins(tbody, plugins) {
  const rows = plugins.map((p) =>
    h(
      "tr",
      { testid: "plugin-row", "data-name": p.name },
      h("th", { scope: "row" }, p.name),
      h("td", {}, p.version ?? "-"),
      h("td", {}, badge(p.state, "plugin-state")),
      h("td", { class: "mono clip", title: p.source }, p.source),
      h("td", {}, permissions(p.permissions, p.risky)),
      h("td", {}, notes(p)),
    )
  );
  if (!rows.length) {
    rows.push(h("tr", {}, h("td", { colspan: 6, class: "empty" }, "No plugins in the manifest.")));
  }
  tbody.replaceChildren(...rows);
}

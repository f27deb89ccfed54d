/**
 * The environments table. Rows are keyed by name and rebuilt only when their data changes, so
 * the auto-refresh does not steal keyboard focus from a row's buttons.
 *
 * @module
 */
import { badge, h } from "./dom.js";
import { age } from "./format.js";

const ACTIONS = [
  { action: "stop", label: "Stop", when: (e) => e.state === "running" },
  { action: "start", label: "Start", when: (e) => e.state !== "running" && e.containerId },
  { action: "rebuild", label: "Rebuild", when: () => true },
  { action: "remove", label: "Remove", when: () => true, danger: true },
];

function ports(env) {
  if (!env.ports?.length) return "-";
  return h(
    "ul",
    { class: "ports" },
    env.ports.map((p) => {
      const url = `http://127.0.0.1:${p.host}`;
      return h(
        "li",
        {},
        h(
          "a",
          { href: url, target: "_blank", rel: "noopener noreferrer", testid: "env-port" },
          url,
        ),
        h("span", { class: "muted" }, ` → ${p.container}`),
      );
    }),
  );
}

function actions(env, busy, onAction) {
  return h(
    "div",
    { class: "actions" },
    ACTIONS.filter((a) => a.when(env)).map((a) =>
      h("button", {
        type: "button",
        class: a.danger ? "danger" : null,
        testid: `env-${a.action}`,
        "aria-label": `${a.label} ${env.name}`,
        disabled: busy,
        onclick: () => onAction(a.action, env),
      }, a.label)
    ),
  );
}

function row(env, busy, onAction) {
  const created = env.createdAt ?? "";
  return h(
    "tr",
    { testid: "env-row", "data-name": env.name, "aria-busy": busy ? "true" : null },
    h("th", { scope: "row" }, env.name),
    h(
      "td",
      {},
      badge(env.state, "env-state"),
      busy ? h("span", { class: "working", testid: "env-working" }, " working…") : null,
    ),
    h("td", { class: "mono" }, env.image ?? "-"),
    h("td", {}, ports(env)),
    h("td", {}, h("time", { datetime: created, title: created, class: "age" }, age(created))),
    h("td", { class: "mono clip", title: env.repo }, env.repo || "-"),
    h("td", {}, actions(env, busy, onAction)),
  );
}

/**
 * Shows `envs` in `tbody`; `busy` is the set of names with an action under way; `onAction(action,
 * env)` runs when a row's button is pressed.
 */
export function renderEnvironments(tbody, envs, busy, onAction) {
  const old = new Map([...tbody.querySelectorAll("tr[data-name]")].map((r) => [r.dataset.name, r]));
  const rows = envs.map((env) => {
    const sig = JSON.stringify([env, busy.has(env.name)]);
    const kept = old.get(env.name);
    if (kept?.dataset.sig === sig) {
      const time = kept.querySelector("time.age");
      time.textContent = age(env.createdAt);
      return kept;
    }
    const fresh = row(env, busy.has(env.name), onAction);
    fresh.dataset.sig = sig;
    return fresh;
  });
  if (!rows.length) {
    rows.push(h(
      "tr",
      { testid: "env-empty" },
      h("td", { colspan: 7, class: "empty" }, "No environments yet. Create one below."),
    ));
  }
  tbody.replaceChildren(...rows);
}

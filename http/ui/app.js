/**
 * The dashboard: wires the token form, the environments table (refreshed every few seconds),
 * the create form, the progress log fed by operations' event streams, and the plugins table.
 *
 * @module
 */
import { adoptTokenFromHash, api, ApiError, followEvents, getToken, setToken } from "./api.js";
import { h } from "./dom.js";
import { clock } from "./format.js";
import { renderEnvironments } from "./environments.js";
import { renderPlugins } from "./plugins.js";

const REFRESH_MS = 3000;
const $ = (id) => document.getElementById(id);
/** The list in an answer: the array itself, or under `key` (`{ environments: [...] }`). */
const listOf = (answer, key) => Array.isArray(answer) ? answer : answer?.[key] ?? [];
const busy = new Set();
let refreshTimer = 0;
let refreshSeq = 0;

function describe(error) {
  if (error instanceof ApiError && error.status === 401) {
    return "The server wants a token: enter it in “API token” above.";
  }
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof TypeError
    ? "The server cannot be reached."
    : String(error?.message ?? error);
}

function showError(text) {
  $("alert-text").textContent = text;
  $("alert").hidden = false;
}

function log(text, kind = "progress", at) {
  const list = $("log");
  list.append(h("li", { class: kind, testid: "log-line" }, h("time", {}, clock(at)), " ", text));
  list.scrollTop = list.scrollHeight;
}

async function refreshEnvironments() {
  clearTimeout(refreshTimer);
  const mine = ++refreshSeq; // only the latest request renders and schedules the next
  try {
    const envs = listOf(await api("GET", "/v1/environments"), "environments");
    if (mine !== refreshSeq) return;
    renderEnvironments($("env-body"), envs, busy, onAction);
    $("env-status").textContent = `Updated ${clock()}`;
    $("env-status").classList.remove("error-text");
  } catch (error) {
    if (mine !== refreshSeq) return;
    $("env-status").textContent = `Not updated: ${describe(error)}`;
    $("env-status").classList.add("error-text");
  } finally {
    if (mine === refreshSeq) refreshTimer = setTimeout(tick, REFRESH_MS);
  }
}

function tick() {
  if (document.hidden) refreshTimer = setTimeout(tick, REFRESH_MS);
  else refreshEnvironments();
}

async function loadPlugins() {
  try {
    renderPlugins($("plugin-body"), listOf(await api("GET", "/v1/plugins"), "plugins"));
  } catch (error) {
    showError(`Plugins: ${describe(error)}`);
  }
}

/** Logs an operation's events until it is done or failed; shows a failure in the alert. */
async function follow(operation, fallback) {
  const verb = String(operation.kind ?? "").split(".").pop();
  const label = verb && operation.target ? `${verb} ${operation.target}` : fallback;
  log(`${label}: started`, "info");
  let finished = false;
  try {
    await followEvents(operation.id, (type, data) => {
      if (type === "progress") log(`${label}: ${data?.message ?? data}`, "progress", data?.at);
      else if (type === "done") log(`${label}: done`, "done");
      else if (type === "failed") {
        const e = data?.error ?? {};
        log(`${label} failed: ${e.message ?? "unknown error"}`, "error");
        showError(
          `${label} failed: ${e.message ?? "unknown error"}${e.code ? ` (${e.code})` : ""}`,
        );
      } else return false;
      finished = type !== "progress";
      return finished;
    });
    if (!finished) log(`${label}: the event stream ended before the operation finished`, "error");
  } catch (error) {
    log(`${label}: ${describe(error)}`, "error");
    showError(`${label}: ${describe(error)}`);
  }
}

/** Runs one request for `label`; follows the operation it starts, if any, then refreshes. */
async function run(label, request, name) {
  if (name) busy.add(name);
  refreshEnvironments();
  try {
    const answer = await request();
    if (answer?.operation) return await follow(answer.operation, label);
    for (const line of answer?.progress ?? []) log(`${label}: ${line}`);
    log(`${label}: done`, "done");
  } catch (error) {
    log(`${label}: ${describe(error)}`, "error");
    showError(`${label}: ${describe(error)}`);
  } finally {
    if (name) busy.delete(name);
    refreshEnvironments();
  }
}

function onAction(action, env) {
  const path = `/v1/environments/${encodeURIComponent(env.name)}`;
  if (action === "remove") return askRemove(env.name, path);
  run(`${action} ${env.name}`, () => api("POST", `${path}/${action}`), env.name);
}

function askRemove(name, path) {
  const dialog = $("remove-dialog");
  $("remove-name").textContent = name;
  $("remove-purge").checked = false;
  dialog.returnValue = "";
  dialog.onclose = () => {
    if (dialog.returnValue !== "remove") return;
    const purge = $("remove-purge").checked;
    const label = `${purge ? "purge" : "remove"} ${name}`;
    run(label, () => api("DELETE", purge ? `${path}?purge=true` : path), name);
  };
  dialog.showModal();
}

function onCreate(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const body = {};
  for (const [key, value] of new FormData(form)) if (String(value).trim()) body[key] = value.trim();
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  run(`create ${body.name ?? body.repo}`, async () => {
    try {
      const answer = await api("POST", "/v1/environments", body);
      form.reset();
      return answer;
    } finally {
      button.disabled = false;
    }
  });
}

function showTokenState() {
  $("token-state").textContent = getToken() ? "stored for this tab" : "";
}

function onToken(event) {
  event.preventDefault();
  setToken($("token").value.trim());
  $("token").value = "";
  showTokenState();
  refreshEnvironments();
  loadPlugins();
}

function start() {
  adoptTokenFromHash();
  showTokenState();
  $("token-form").addEventListener("submit", onToken);
  $("create-form").addEventListener("submit", onCreate);
  $("plugins-reload").addEventListener("click", loadPlugins);
  $("log-clear").addEventListener("click", () => $("log").replaceChildren());
  $("alert-close").addEventListener("click", () => $("alert").hidden = true);
  document.addEventListener("visibilitychange", () => !document.hidden && refreshEnvironments());
  refreshEnvironments();
  loadPlugins();
}

start();

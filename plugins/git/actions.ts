/**
 * The git plugin's actions: names, one-line descriptions, input schemas and handlers. Inputs
 * are checked again here (the in-process test harness skips the host's schema validation), and
 * every result is plain JSON.
 *
 * @module
 */
import type {
  ActionContext,
  ActionSpec,
  JsonObject,
  JsonSchema,
  JsonValue,
} from "../../interfaces.ts";
import { cloneRepo } from "./clone.ts";
import { GitError } from "./errors.ts";
import { createSnapshot, listSnapshots, rollbackSnapshot } from "./snapshot.ts";
import { repoStatus } from "./status.ts";
import { parseRepoUrl } from "./url.ts";
import type { GitSettings } from "./workspace.ts";

const path: JsonSchema = { type: "string", minLength: 1, maxLength: 4096 };
const dir: JsonSchema = { ...path, description: "Absolute directory inside the workspace root" };

function schema(properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return { type: "object", properties, required, additionalProperties: false };
}

/** The input schema of each action, by name. */
export const SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  "git.url.parse": schema({
    url: { type: "string", minLength: 1, maxLength: 2048 },
    cwd: path,
    taken: { type: "array", items: { type: "string" }, maxItems: 10_000 },
  }, ["url"]),
  "git.clone": schema({
    url: { type: "string", minLength: 1, maxLength: 2048 },
    dest: path,
    branch: { type: "string", minLength: 1, maxLength: 255 },
    depth: { type: "integer", minimum: 1, maximum: 2147483647 },
  }, ["url", "dest"]),
  "git.status": schema({ dir }, ["dir"]),
  "git.snapshot.create": schema({ dir, message: { type: "string", maxLength: 10_000 } }, ["dir"]),
  "git.snapshot.list": schema({ dir }, ["dir"]),
  "git.snapshot.rollback": schema({ dir, id: { type: "string", minLength: 1, maxLength: 64 } }, [
    "dir",
    "id",
  ]),
};

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  "git.url.parse": "Check and normalize a repository URL or path and derive a docker-safe name",
  "git.clone": "Clone a repository into a new or empty directory in the workspace",
  "git.status": "Show branch, head commit and counts of staged, modified and untracked files",
  "git.snapshot.create":
    "Record the whole working tree as a snapshot commit without touching branch, index or files",
  "git.snapshot.list": "List a repository's snapshots, newest first",
  "git.snapshot.rollback":
    "Restore the working tree and index to a snapshot, after taking a safety snapshot",
};

/** The plugin's actions; `settings` is read at call time (after `initialize`). */
export function gitActions(settings: () => GitSettings): ActionSpec[] {
  type Handler = (input: JsonObject, ctx: ActionContext) => Promise<JsonValue> | JsonValue;
  const handlers: Record<string, Handler> = {
    "git.url.parse": (input) => {
      const taken = optional(input, "taken", "array") as string[] | undefined;
      if (taken?.some((t) => typeof t !== "string")) throw invalid("taken must hold strings");
      return {
        ...parseRepoUrl(text(input, "url"), { cwd: opt(input, "cwd"), taken: new Set(taken) }),
      };
    },
    "git.clone": async (input, ctx) =>
      await cloneRepo(settings(), {
        url: text(input, "url"),
        dest: text(input, "dest"),
        branch: opt(input, "branch"),
        depth: optional(input, "depth", "number") as number | undefined,
      }, ctx),
    "git.status": async (input) => await repoStatus(settings(), text(input, "dir")),
    "git.snapshot.create": async (input) =>
      await createSnapshot(settings(), text(input, "dir"), opt(input, "message")),
    "git.snapshot.list": async (input) => {
      const snapshots = await listSnapshots(settings(), text(input, "dir"));
      return { snapshots };
    },
    "git.snapshot.rollback": async (input) =>
      await rollbackSnapshot(settings(), text(input, "dir"), text(input, "id")),
  };
  return Object.keys(SCHEMAS).map((name): ActionSpec => ({
    name,
    description: DESCRIPTIONS[name],
    inputSchema: SCHEMAS[name],
    handler: async (input, ctx) => await handlers[name](checkInput(name, input), ctx),
  }));
}

/** Checks `input` is an object with only the keys `name`'s schema allows. */
function checkInput(name: string, input: JsonValue): JsonObject {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw invalid(`${name} input must be an object`);
  }
  const properties = SCHEMAS[name].properties as JsonObject;
  const extra = Object.keys(input).filter((k) => !(k in properties));
  if (extra.length) throw invalid(`${name} does not take ${extra.map((k) => `"${k}"`).join(", ")}`);
  for (const key of SCHEMAS[name].required as string[]) {
    if (input[key] === undefined) throw invalid(`${name} needs "${key}"`);
  }
  return input;
}

function text(input: JsonObject, key: string): string {
  const value = input[key];
  if (typeof value !== "string") throw invalid(`"${key}" must be a string`);
  return value;
}

function opt(input: JsonObject, key: string): string | undefined {
  return input[key] === undefined ? undefined : text(input, key);
}

function optional(input: JsonObject, key: string, type: "array" | "number"): unknown {
  const value = input[key];
  if (value === undefined) return undefined;
  const ok = type === "array" ? Array.isArray(value) : typeof value === "number";
  if (!ok) throw invalid(`"${key}" must be ${type === "array" ? "an array" : "a number"}`);
  return value;
}

function invalid(message: string): GitError {
  return new GitError("GIT_INPUT_INVALID", message);
}

/**
 * The OpenAPI 3.1 description of the service, written by hand next to the routes; a test
 * checks that it names every route the app registers and nothing else.
 *
 * @module
 */
import denoJson from "../deno.json" with { type: "json" };

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const obj = (properties: Json, required: string[] = []): Json => ({
  type: "object",
  properties,
  ...(required.length ? { required } : {}),
});
const str = { type: "string" };
const strList = { type: "array", items: str };
const list = (name: string): Json => ({ type: "array", items: ref(name) });
const json = (schema: Json, description = "OK"): Json => ({
  description,
  content: { "application/json": { schema } },
});
const error = (description: string): Json => json(ref("Error"), description);
const path = (name: string, description: string): Json => ({
  name,
  in: "path",
  required: true,
  description,
  schema: str,
});
const envName = path("name", "Environment name");
const body = (schema: Json, required = true): Json => ({
  required,
  content: { "application/json": { schema } },
});
const accepted = { "202": json(obj({ operation: ref("Operation") }, ["operation"]), "Accepted") };

/** Describes one operation: summary, responses and any parameters or body. */
function op(
  summary: string,
  responses: Json,
  extra: { parameters?: Json[]; requestBody?: Json; tag?: string; open?: boolean } = {},
): Json {
  return {
    summary,
    tags: [extra.tag ?? "service"],
    ...(extra.parameters ? { parameters: extra.parameters } : {}),
    ...(extra.requestBody ? { requestBody: extra.requestBody } : {}),
    ...(extra.open ? { security: [] } : {}),
    responses: { ...responses, default: error("An error; see the status mapping") },
  };
}

const schemas: Json = {
  Error: obj({
    error: obj({
      code: { ...str, description: "Stable code, e.g. INPUT_INVALID, ACTION_FAILED" },
      message: { ...str, description: "One line; never a stack trace" },
      issues: { type: "array", items: obj({ path: str, message: str }, ["path", "message"]) },
    }, ["code", "message"]),
  }, ["error"]),
  Plugin: obj({
    name: str,
    description: str,
    version: str,
    apiVersion: str,
    source: str,
    kind: { enum: ["local", "remote"] },
    enabled: { type: "boolean" },
    permissions: { type: "object", additionalProperties: { type: ["boolean", "array"] } },
    risky: strList,
    state: { enum: ["loaded", "failed", "disabled", "unloaded"] },
    error: obj({ code: str, message: str }),
    warnings: strList,
    actions: strList,
    integrity: str,
    running: { type: "boolean" },
  }, ["name", "source", "kind", "enabled", "permissions", "state", "warnings", "actions"]),
  Item: obj({ kind: str, name: str, owner: str, metadata: { type: "object" } }),
  Action: obj({ name: str, owner: str, description: str, inputSchema: { type: "object" } }),
  Environment: obj({
    name: str,
    repo: str,
    workspace: str,
    workspaceFolder: str,
    state: { ...str, description: "running, exited, created, ... or missing" },
    containerId: { type: ["string", "null"] },
    image: { type: ["string", "null"] },
    ports: {
      type: "array",
      items: obj({ container: { type: "integer" }, host: { type: "integer" } }),
    },
    remoteUser: { type: ["string", "null"] },
    configHash: { type: ["string", "null"] },
    createdAt: { type: ["string", "null"] },
  }, ["name", "state"]),
  Snapshot: obj({ id: str, ref: str, commit: str, message: str, createdAt: str }),
  Operation: obj({
    id: str,
    kind: { ...str, description: "environment.create, environment.start, environment.rebuild" },
    target: str,
    state: { enum: ["queued", "running", "succeeded", "failed"] },
    progress: { type: "array", items: obj({ at: str, message: str }) },
    droppedProgress: { type: "integer" },
    result: {},
    error: obj({ code: str, message: str }),
    createdAt: str,
    startedAt: str,
    finishedAt: str,
  }, ["id", "kind", "target", "state", "createdAt"]),
};

const paths: Json = {
  "/": { get: op("The web UI", { "200": { description: "HTML" } }, { tag: "ui", open: true }) },
  "/ui/{path}": {
    get: op("A file of the web UI", { "200": { description: "The file" } }, {
      tag: "ui",
      open: true,
      parameters: [path("path", "File path under http/ui/")],
    }),
  },
  "/healthz": {
    get: op("Health: plugins and Docker (never needs a token)", {
      "200": json(obj({ status: { const: "ok" } }), "Everything loaded and Docker reachable"),
      "503": json(obj({ status: { const: "degraded" } }), "A plugin or Docker is down"),
    }, { open: true }),
  },
  "/metrics": {
    get: op("Prometheus metrics", {
      "200": { description: "Text exposition format", content: { "text/plain": { schema: str } } },
    }),
  },
  "/v1/openapi.json": { get: op("This document", { "200": json({ type: "object" }) }) },
  "/v1/plugins": {
    get: op("Plugins of the manifest with their live state", {
      "200": json(list("Plugin")),
    }, { tag: "plugins" }),
    post: op("Add a plugin (checked, pinned, written to the manifest) and load it", {
      "201": json(ref("Plugin"), "Added"),
    }, {
      tag: "plugins",
      requestBody: body(obj({
        source: { ...str, description: "Path (relative to the server's folder) or URL" },
        name: str,
        permissions: { type: "object" },
        config: { type: "object" },
        timeouts: obj({ initMs: { type: "integer" }, callMs: { type: "integer" } }),
      }, ["source"])),
    }),
  },
  "/v1/plugins/{name}": {
    delete: op("Remove a plugin from the manifest (and lock) and unload it", {
      "200": json(obj({ removed: str })),
    }, { tag: "plugins", parameters: [path("name", "Plugin name")] }),
  },
  "/v1/plugins/{name}/reload": {
    post: op("Unload and load a plugin again from its manifest entry", {
      "200": json(ref("Plugin"), "Reloaded; `state` says whether it loaded"),
    }, { tag: "plugins", parameters: [path("name", "Plugin name")] }),
  },
  "/v1/items": {
    get: op("Registered items", { "200": json(list("Item")) }, {
      tag: "registry",
      parameters: [{ name: "kind", in: "query", required: false, schema: str }],
    }),
  },
  "/v1/actions": {
    get: op("Registered actions with their input schemas", {
      "200": json(list("Action")),
    }, { tag: "registry" }),
  },
  "/v1/actions/{name}/invoke": {
    post: op("Invoke an action; the body is its input (validated against its schema)", {
      "200": json(obj({ result: {}, progress: { type: "array" } })),
    }, {
      tag: "registry",
      parameters: [path("name", "Action name, e.g. docker.ping")],
      requestBody: body({}, false),
    }),
  },
  "/v1/environments": {
    get: op("Every environment", {
      "200": json(list("Environment")),
    }, { tag: "environments" }),
    post: op("Create an environment (runs as an operation)", accepted, {
      tag: "environments",
      requestBody: body(obj({ repo: str, name: str, image: str, branch: str }, ["repo"])),
    }),
  },
  "/v1/environments/{name}": {
    get: op("One environment", { "200": json(ref("Environment")) }, {
      tag: "environments",
      parameters: [envName],
    }),
    delete: op("Snapshot, then remove the container; ?purge=true also the workspace and volume", {
      "200": json(obj({
        name: str,
        snapshot: { oneOf: [ref("Snapshot"), { type: "null" }] },
        containerRemoved: { type: "boolean" },
        purged: { type: "boolean" },
      })),
    }, {
      tag: "environments",
      parameters: [envName, {
        name: "purge",
        in: "query",
        required: false,
        schema: { enum: ["true", "false", "1", "0"] },
      }],
    }),
  },
  "/v1/environments/{name}/snapshots": {
    get: op("Snapshots of the workspace, newest first", {
      "200": json(list("Snapshot")),
    }, { tag: "environments", parameters: [envName] }),
  },
  "/v1/environments/{name}/logs": {
    get: op("Container logs so far (docker.container.logs)", {
      "200": json(obj({ stdout: str, stderr: str })),
    }, {
      tag: "environments",
      parameters: [envName, { name: "tail", in: "query", required: false, schema: str }],
    }),
  },
  "/v1/environments/{name}/start": {
    post: op("Start (runs postStartCommand) as an operation", accepted, {
      tag: "environments",
      parameters: [envName],
    }),
  },
  "/v1/environments/{name}/rebuild": {
    post: op("Snapshot, new image if needed, new container, as an operation", accepted, {
      tag: "environments",
      parameters: [envName],
      requestBody: body(obj({ image: str }), false),
    }),
  },
  "/v1/environments/{name}/stop": {
    post: op("Stop (synchronous)", { "200": json(ref("Environment")) }, {
      tag: "environments",
      parameters: [envName],
    }),
  },
  "/v1/environments/{name}/snapshot": {
    post: op("Snapshot the workspace (synchronous)", { "200": json(ref("Snapshot")) }, {
      tag: "environments",
      parameters: [envName],
      requestBody: body(obj({ message: str }), false),
    }),
  },
  "/v1/environments/{name}/rollback": {
    post: op("Restore a snapshot after saving the present (synchronous)", {
      "200": json(obj({ id: str, safetySnapshot: ref("Snapshot") })),
    }, {
      tag: "environments",
      parameters: [envName],
      requestBody: body(obj({ snapshot: str }, ["snapshot"])),
    }),
  },
  "/v1/operations": {
    get: op("Operations, newest first (without their progress lines)", {
      "200": json({ type: "array", items: { type: "object" } }),
    }, { tag: "operations" }),
  },
  "/v1/operations/{id}": {
    get: op("One operation with its progress", { "200": json(ref("Operation")) }, {
      tag: "operations",
      parameters: [path("id", "Operation id")],
    }),
  },
  "/v1/operations/{id}/events": {
    get: op("Server-Sent Events: past then live `progress`, then `done` or `failed`", {
      "200": { description: "An event stream", content: { "text/event-stream": { schema: str } } },
    }, { tag: "operations", parameters: [path("id", "Operation id")] }),
  },
};

/** The OpenAPI document. */
export function openApiDocument(): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "repocate",
      version: denoJson.version,
      description: "Development environments and plugins over the same core as the repocate " +
        "CLI. Errors are {error:{code,message}}: 400 bad input, 401 token, 403 refused, 404 " +
        "not found, 409 conflict, 413 too large, 422 plugin refused, 500 failed.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas,
    },
    paths,
  };
}

/**
 * The lifecycle's typed view of the registry actions it uses. The core knows no Docker or git
 * code: every call here is `registry.invoke(name, input)`, and the results are checked for the
 * fields the lifecycle reads before they are trusted.
 *
 * @module
 */
import type { JsonObject, JsonValue } from "../../interfaces.ts";
import { RepocateError } from "../../errors.ts";
import type { Registry } from "../../registry/mod.ts";

/** A repository reference as the git plugin parsed it. */
export interface RepoRef {
  /** `https`, `http`, `ssh`, `scp` or `file`. */
  kind: string;
  /** Normalized clone URL. */
  url: string;
  /** Docker-safe base name. */
  baseName: string;
  /** A name not in `taken`. */
  suggestedName: string;
}

/** A container as the docker plugin lists it. */
export interface ContainerSummary {
  /** Engine id. */
  id: string;
  /** Container name. */
  name: string;
  /** `running`, `exited`, `created`, ... */
  state: string;
  /** Image reference. */
  image: string;
  /** Labels. */
  labels: Record<string, string>;
  /** Published ports. */
  ports: { container: number; host: number | null; hostIp: string; protocol: string }[];
  /** ISO creation time. */
  created: string;
}

/** A snapshot of a workspace. */
export interface Snapshot {
  /** Sortable id. */
  id: string;
  /** Its git ref. */
  ref: string;
  /** Commit id. */
  commit: string;
  /** Message. */
  message: string;
  /** ISO time. */
  createdAt: string;
}

/** Progress callback. */
export type Progress = (message: string) => void;

function expect<T>(action: string, value: JsonValue, keys: string[]): T {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new RepocateError(
      "ACTION_FAILED",
      `action "${action}" returned ${JSON.stringify(value)}, not an object`,
    );
  }
  for (const key of keys) {
    if (!(key in value)) {
      throw new RepocateError("ACTION_FAILED", `action "${action}" returned no "${key}"`);
    }
  }
  return value as T;
}

/** Typed calls of the docker and git actions through the registry. */
export class Services {
  #registry: Registry;

  /** Calls actions through `registry`. */
  constructor(registry: Registry) {
    this.#registry = registry;
  }

  async #call<T>(
    action: string,
    input: JsonObject,
    keys: string[],
    progress?: Progress,
  ): Promise<T> {
    const value = await this.#registry.invoke(action, input, { onProgress: progress });
    return expect<T>(action, value, keys);
  }

  /** Calls a listing action; its result is a list, or an object holding it under `key`. */
  async #list<T>(action: string, input: JsonObject, key: string): Promise<T[]> {
    const out = await this.#registry.invoke(action, input);
    const list = Array.isArray(out) ? out : (out as Record<string, JsonValue> | null)?.[key];
    if (!Array.isArray(list)) {
      throw new RepocateError("ACTION_FAILED", `action "${action}" returned no list`);
    }
    return list as unknown as T[];
  }

  /** Starts the plugins of `actions` side by side (see `Registry.prepare`). */
  prepare(actions: string[]): void {
    this.#registry.prepare(actions);
  }

  /** Whether the action exists (its plugin is loaded). */
  has(action: string): boolean {
    return this.#registry.getAction(action) !== undefined;
  }

  /** `git.url.parse`. */
  parseRepo(url: string, cwd: string, taken: string[]): Promise<RepoRef> {
    return this.#call("git.url.parse", { url, cwd, taken }, ["url", "baseName", "suggestedName"]);
  }

  /** `git.clone`. */
  clone(
    input: { url: string; dest: string; branch?: string },
    progress: Progress,
  ): Promise<{ head: string | null }> {
    return this.#call("git.clone", input, ["dest"], progress);
  }

  /** `git.snapshot.create`. */
  snapshot(dir: string, message: string): Promise<Snapshot> {
    return this.#call("git.snapshot.create", { dir, message }, ["id", "commit"]);
  }

  /** `git.snapshot.list`. */
  async snapshots(dir: string): Promise<Snapshot[]> {
    return await this.#list<Snapshot>("git.snapshot.list", { dir }, "snapshots");
  }

  /** `git.snapshot.rollback`. */
  rollback(dir: string, id: string): Promise<{ id: string; safetySnapshot: Snapshot }> {
    return this.#call("git.snapshot.rollback", { dir, id }, ["safetySnapshot"]);
  }

  /** `docker.ping`. */
  ping(): Promise<JsonObject> {
    return this.#call("docker.ping", {}, []);
  }

  /** `docker.image.exists`. */
  async imageExists(ref: string): Promise<boolean> {
    const out = await this.#registry.invoke("docker.image.exists", { ref });
    return typeof out === "boolean" ? out : Boolean((out as { exists?: boolean })?.exists);
  }

  /** `docker.image.remove`. */
  removeImage(ref: string): Promise<JsonValue> {
    return this.#registry.invoke("docker.image.remove", { ref, force: true });
  }

  /** `docker.image.build`. */
  build(
    input: {
      context: string;
      dockerfile: string;
      tag: string;
      buildArgs: Record<string, string>;
      labels: Record<string, string>;
    },
    progress: Progress,
  ): Promise<JsonObject> {
    return this.#call("docker.image.build", input, [], progress);
  }

  /** `docker.container.list` by labels. */
  async containers(labels: Record<string, string>): Promise<ContainerSummary[]> {
    return await this.#list<ContainerSummary>("docker.container.list", { labels }, "containers");
  }

  /** `docker.container.create`. */
  createContainer(input: JsonObject): Promise<{ id: string }> {
    return this.#call("docker.container.create", input, ["id"]);
  }

  /** `docker.container.start|stop|remove|inspect`. */
  container(verb: "start" | "stop" | "inspect", id: string): Promise<JsonObject> {
    return this.#call(`docker.container.${verb}`, { id }, []);
  }

  /** `docker.container.rename`. */
  renameContainer(id: string, name: string): Promise<JsonObject> {
    return this.#call("docker.container.rename", { id, name }, []);
  }

  /** `docker.container.remove` (forced). */
  removeContainer(id: string): Promise<JsonValue> {
    return this.#registry.invoke("docker.container.remove", { id, force: true });
  }

  /** `docker.container.exec`. */
  exec(
    input: {
      id: string;
      cmd: string[];
      env?: Record<string, string>;
      user?: string;
      workdir?: string;
    },
  ): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    return this.#call("docker.container.exec", input, ["exitCode", "stdout", "stderr"]);
  }

  /** `docker.container.shell-command`: the argv of an interactive shell in a container. */
  async shellCommand(
    target: { id: string; user?: string; workdir?: string; env?: Record<string, string> },
  ): Promise<string[]> {
    const out = await this.#call<{ argv: string[] }>("docker.container.shell-command", target, [
      "argv",
    ]);
    return out.argv;
  }

  /** `docker.volume.create`. */
  createVolume(name: string, labels: Record<string, string>): Promise<JsonObject> {
    return this.#call("docker.volume.create", { name, labels }, []);
  }

  /** `docker.volume.list` by labels. */
  async volumes(
    labels: Record<string, string>,
  ): Promise<{ name: string; labels: Record<string, string> }[]> {
    return await this.#list<{ name: string; labels: Record<string, string> }>(
      "docker.volume.list",
      { labels },
      "volumes",
    );
  }

  /** `docker.volume.remove`. */
  removeVolume(name: string): Promise<JsonValue> {
    return this.#registry.invoke("docker.volume.remove", { name });
  }

  /** `docker.ports.allocate`. */
  async allocatePorts(count: number): Promise<number[]> {
    const out = await this.#call<{ ports: number[] }>("docker.ports.allocate", { count }, [
      "ports",
    ]);
    return out.ports;
  }
}

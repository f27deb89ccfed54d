/**
 * The docker plugin's actions: names, one-line descriptions, input schemas, and handlers that
 * call the modules beside this one. Inputs are validated by the host against these schemas.
 *
 * @module
 */
import type { ActionSpec, JsonSchema, JsonValue, Registry } from "../../interfaces.ts";
import type { Engine } from "./engine.ts";
import { buildImage, type BuildInput, imageExists, inspectImage, removeImage } from "./images.ts";
import { createContainer, type CreateInput } from "./create.ts";
import {
  inspectContainer,
  listContainers,
  removeContainer,
  renameContainer,
  restartContainer,
  startContainer,
  stopContainer,
} from "./containers.ts";
import { containerLogs, execInContainer, type ExecInput } from "./exec.ts";
import { pingEngine } from "./ping.ts";
import { shellCommand, type ShellCommandInput } from "./shell.ts";
import { createVolume, listVolumes, removeVolume } from "./volumes.ts";
import type { PortAllocator } from "./ports.ts";
import { type Watch, watchContainers } from "./watch.ts";

/** What the handlers work with; given by the plugin once it is initialized. */
export interface DockerState {
  /** The engine the plugin talks to. */
  engine: Engine;
  /** The plugin's port allocator. */
  ports: PortAllocator;
  /** The plugin's view of the registry (set in registerWithRegistry). */
  registry?: Registry;
  /** The container view, once `docker.container.watch` started it. */
  watch?: Watch;
  /** Reports a problem of the container view. */
  warn?: (message: string) => void;
}

const str = { type: "string", minLength: 1 };
const bool = { type: "boolean" };
const strMap = { type: "object", additionalProperties: { type: "string" } };
const strList = { type: "array", items: { type: "string" } };
const port = { type: "integer", minimum: 1, maximum: 65535 };
/** Environment names as `docker exec -e K=V` takes them: non-empty, no `=`. */
const envMap = { ...strMap, propertyNames: { type: "string", pattern: "^[^=]+$" } };

/** An object schema with `additionalProperties: false`. */
function object(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: "object", properties, required, additionalProperties: false };
}

const containerRef = object({ id: str }, ["id"]);
const stopInput = object({ id: str, timeout: { type: "integer", minimum: 0 } }, ["id"]);

const mount = object({
  type: { enum: ["bind", "volume"] },
  source: str,
  target: { type: "string", pattern: "^/" },
  readonly: bool,
}, ["type", "source", "target"]);

const publishedPort = object({
  container: port,
  host: port,
  protocol: { enum: ["tcp", "udp"] },
}, ["container"]);

/** Input shapes, as the schemas guarantee them. */
type In<T> = (input: T, progress: (line: string) => void) => Promise<JsonValue>;

/** The docker actions, bound to `state()` (read at call time, so re-initializing works). */
export function dockerActions(state: () => DockerState): ActionSpec[] {
  const spec = <T>(
    name: string,
    description: string,
    inputSchema: JsonSchema,
    run: In<T>,
  ): ActionSpec => ({
    name,
    description,
    inputSchema,
    handler: (input, ctx) => run(input as T, (line) => ctx.progress(line)),
  });
  const engine = () => state().engine;
  return [
    spec(
      "docker.ping",
      "Checks the Docker engine answers; returns its version.",
      object({}),
      () => pingEngine(engine()),
    ),
    spec<BuildInput>(
      "docker.image.build",
      "Builds an image from a context directory with the classic builder, streaming its log.",
      object({
        context: { type: "string", pattern: "^/" },
        dockerfile: str,
        tag: str,
        buildArgs: strMap,
        labels: strMap,
      }, ["context", "tag"]),
      (input, progress) => buildImage(engine(), input, progress),
    ),
    spec<{ ref: string }>(
      "docker.image.inspect",
      "Describes an image: id, tags, labels, config.",
      object({ ref: str }, ["ref"]),
      (input) => inspectImage(engine(), input.ref),
    ),
    spec<{ ref: string }>(
      "docker.image.exists",
      "Tells whether an image exists in the engine.",
      object({ ref: str }, ["ref"]),
      async (input) => ({ exists: await imageExists(engine(), input.ref) }),
    ),
    spec<{ ref: string; force?: boolean }>(
      "docker.image.remove",
      "Removes an image; reports whether it existed.",
      object({ ref: str, force: bool }, ["ref"]),
      (input) => removeImage(engine(), input.ref, input.force),
    ),
    spec<CreateInput>(
      "docker.container.create",
      "Creates a container (kept alive by default), ports published on 127.0.0.1.",
      object({
        name: { type: "string", pattern: "^[a-zA-Z0-9][a-zA-Z0-9_.-]*$" },
        image: str,
        labels: strMap,
        env: strMap,
        mounts: { type: "array", items: mount },
        ports: { type: "array", items: publishedPort },
        workdir: { type: "string", pattern: "^/" },
        user: str,
        cmd: strList,
        entrypoint: strList,
        capAdd: { type: "array", items: str },
        securityOpt: { type: "array", items: str },
        privileged: bool,
        init: bool,
        network: str,
        stopSignal: str,
      }, ["name", "image"]),
      (input) => createContainer(engine(), input),
    ),
    spec<{ id: string }>(
      "docker.container.start",
      "Starts a container (no-op when running); returns its state and ports.",
      containerRef,
      (input) => startContainer(engine(), input.id),
    ),
    spec<{ id: string; timeout?: number }>(
      "docker.container.stop",
      "Stops a container (no-op when stopped), killing it after timeout seconds.",
      stopInput,
      (input) => stopContainer(engine(), input.id, input.timeout),
    ),
    spec<{ id: string; timeout?: number }>(
      "docker.container.restart",
      "Restarts a container; returns its state and ports.",
      stopInput,
      (input) => restartContainer(engine(), input.id, input.timeout),
    ),
    spec<{ id: string; name: string }>(
      "docker.container.rename",
      "Renames a container; returns its state.",
      object({ id: str, name: { type: "string", pattern: "^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$" } }, [
        "id",
        "name",
      ]),
      (input) => renameContainer(engine(), input.id, input.name),
    ),
    spec<{ id: string; force?: boolean; volumes?: boolean }>(
      "docker.container.remove",
      "Removes a container (running ones too unless force is false); reports whether it existed.",
      object({ id: str, force: bool, volumes: bool }, ["id"]),
      (input) => removeContainer(engine(), input.id, input.force, input.volumes),
    ),
    spec<{ id: string }>(
      "docker.container.inspect",
      "Describes a container: state, image, labels, ports, mounts.",
      containerRef,
      (input) => inspectContainer(engine(), input.id),
    ),
    spec<{ labels?: Record<string, string>; all?: boolean }>(
      "docker.container.list",
      "Lists containers carrying all the given labels.",
      object({ labels: strMap, all: bool }),
      async (input) => ({ containers: await listContainers(engine(), input.labels, input.all) }),
    ),
    spec<{ labels: Record<string, string> }>(
      "docker.container.watch",
      "Keeps the containers with these labels as `container` items, current from engine " +
        "events; called again with the same labels, brings them up to date before it returns.",
      object({ labels: strMap }, ["labels"]),
      async (input) => {
        const s = state();
        if (!s.registry) throw new Error("docker plugin: the registry view is not available");
        if (s.watch && JSON.stringify(s.watch.labels) === JSON.stringify(input.labels)) {
          await s.watch.sync();
          return { watching: true };
        }
        s.watch?.stop();
        s.watch = await watchContainers(s.engine, s.registry, input.labels, s.warn ?? (() => {}));
        return { watching: true };
      },
    ),
    spec<{ id: string; tail?: number }>(
      "docker.container.logs",
      "Returns a container's logs so far, stdout and stderr apart.",
      object({ id: str, tail: { type: "integer", minimum: 0 } }, ["id"]),
      (input) => containerLogs(engine(), input.id, input.tail),
    ),
    spec<ExecInput>(
      "docker.container.exec",
      "Runs a command in a running container; returns exit code, stdout and stderr.",
      object({
        id: str,
        cmd: { ...strList, minItems: 1 },
        env: strMap,
        user: str,
        workdir: { type: "string", pattern: "^/" },
      }, ["id", "cmd"]),
      (input) => execInContainer(engine(), input),
    ),
    spec<ShellCommandInput>(
      "docker.container.shell-command",
      "Returns the docker CLI argv of an interactive shell in a container, on the plugin's engine.",
      object({
        id: str,
        user: str,
        workdir: { type: "string", pattern: "^/" },
        env: envMap,
        shell: { ...strList, minItems: 1 },
        interactive: bool,
      }, ["id"]),
      (input) => shellCommand(engine(), input),
    ),
    spec<{ name: string; labels?: Record<string, string> }>(
      "docker.volume.create",
      "Creates a named volume with labels.",
      object({ name: str, labels: strMap }, ["name"]),
      (input) => createVolume(engine(), input.name, input.labels),
    ),
    spec<{ labels?: Record<string, string> }>(
      "docker.volume.list",
      "Lists volumes carrying all the given labels.",
      object({ labels: strMap }),
      async (input) => ({ volumes: await listVolumes(engine(), input.labels) }),
    ),
    spec<{ name: string; force?: boolean }>(
      "docker.volume.remove",
      "Removes a volume; reports whether it existed.",
      object({ name: str, force: bool }, ["name"]),
      (input) => removeVolume(engine(), input.name, input.force),
    ),
    spec<{ count: number }>(
      "docker.ports.allocate",
      "Hands out free host ports on 127.0.0.1, never the same one twice until released.",
      object({ count: { type: "integer", minimum: 1, maximum: 100 } }, ["count"]),
      (input) => Promise.resolve({ ports: state().ports.allocate(input.count) }),
    ),
    spec<{ ports: number[] }>(
      "docker.ports.release",
      "Returns ports from docker.ports.allocate so they may be handed out again.",
      object({ ports: { type: "array", items: port } }, ["ports"]),
      (input) => Promise.resolve({ released: state().ports.release(input.ports) }),
    ),
  ];
}

/** Registers every docker action with `registry`. */
export function registerDockerActions(registry: Registry, state: () => DockerState): void {
  for (const action of dockerActions(state)) registry.registerAction(action);
}

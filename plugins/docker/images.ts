/**
 * Images: build with Docker's classic builder (streaming the log), inspect, check, remove.
 *
 * Building reads the whole build context, so the plugin needs read permission on it.
 *
 * @module
 */
import type { Engine } from "./engine.ts";
import { DockerPluginError, isNotFound } from "./errors.ts";
import { LineSplitter } from "./streams.ts";
import { contextFiles, packContext, resolveDockerfile } from "./context.ts";

/** Input of {@link buildImage}. */
export interface BuildInput {
  /** Absolute path of the build context directory. */
  context: string;
  /** The Dockerfile, relative to the context; `Dockerfile` by default. */
  dockerfile?: string;
  /** The tag to give the image, e.g. `repocate/web:dev`. */
  tag: string;
  /** `--build-arg` values. */
  buildArgs?: Record<string, string>;
  /** Labels to set on the image. */
  labels?: Record<string, string>;
}

/** The compact JSON view of an image. */
export type ImageInfo = {
  id: string;
  repoTags: string[];
  created: string;
  size: number;
  labels: Record<string, string>;
  os: string;
  architecture: string;
  user: string;
  workdir: string;
  cmd: string[] | null;
  entrypoint: string[] | null;
  env: string[];
  exposedPorts: string[];
};

/** How many log lines a failed build's error message carries. */
export const BUILD_LOG_TAIL = 20;

/** One JSON object of the engine's build stream. */
interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/**
 * Builds `input.context` into `input.tag`, calling `progress` with each log line. On failure,
 * removes the build's leftover containers and untagged intermediate images, then throws a
 * `build_failed` error whose message ends with the last {@link BUILD_LOG_TAIL} log lines.
 */
export async function buildImage(
  engine: Engine,
  input: BuildInput,
  progress: (line: string) => void,
): Promise<{ id: string; tag: string }> {
  const dockerfile = await resolveDockerfile(input.context, input.dockerfile ?? "Dockerfile");
  const src = await contextFiles(input.context);
  const intermediates: string[] = [];
  const containers: string[] = [];
  const log = new LineSplitter((line) => {
    const image = /^ ---> ([0-9a-f]{12,64})$/.exec(line);
    if (image) intermediates.push(image[1]);
    const container = /^ ---> Running in ([0-9a-f]{12,64})$/.exec(line);
    if (container) containers.push(container[1]);
    progress(line);
  }, BUILD_LOG_TAIL);
  let failure: string | undefined;
  const what = `build image "${input.tag}"`;
  await engine.run(what, async (docker) => {
    const stream = await docker.buildImage(await packContext(input.context, src), {
      t: input.tag,
      dockerfile,
      buildargs: input.buildArgs ?? {},
      labels: input.labels ?? {},
      rm: true,
      forcerm: true,
      version: "1",
    });
    const events = new LineSplitter((line) => {
      if (line.trim() === "") return;
      let event: BuildEvent;
      try {
        event = JSON.parse(line);
      } catch {
        log.push(line + "\n");
        return;
      }
      if (typeof event.stream === "string") log.push(event.stream);
      else if (typeof event.status === "string") log.push(event.status + "\n");
      if (event.error !== undefined || event.errorDetail !== undefined) {
        failure = event.errorDetail?.message ?? event.error ?? "unknown error";
        log.flush();
        log.push(`ERROR: ${failure}\n`);
      }
    }, 1);
    await new Promise<void>((resolve, reject) => {
      stream.on("data", (chunk: Uint8Array) => events.push(new TextDecoder().decode(chunk)));
      stream.on("error", reject);
      stream.on("end", () => resolve());
      stream.on("close", () => resolve());
    });
    events.flush();
    log.flush();
  });
  if (failure === undefined) {
    const info = await engine.run(what, (docker) => docker.getImage(input.tag).inspect());
    return { id: info.Id, tag: input.tag };
  }
  await cleanUpFailedBuild(engine, containers, intermediates);
  throw new DockerPluginError(
    "build_failed",
    `docker: build of "${input.tag}" failed: ${failure}\n` +
      `--- last ${log.tail.length} lines of the build log ---\n${log.tail.join("\n")}`,
  );
}

/** Removes a failed build's containers and its untagged, childless intermediate images. */
async function cleanUpFailedBuild(engine: Engine, containers: string[], images: string[]) {
  const docker = await engine.client();
  for (const id of containers) {
    await docker.getContainer(id).remove({ force: true }).catch(() => {});
  }
  for (const id of [...images].reverse()) {
    try {
      const info = await docker.getImage(id).inspect();
      if ((info.RepoTags ?? []).length > 0 || (info.RepoDigests ?? []).length > 0) continue;
      await docker.getImage(id).remove({ noprune: true });
    } catch {
      // A base image, a cache layer with children, or already gone: leave it.
    }
  }
}

/** Image `ref` as the engine describes it (`GET /images/<ref>/json`). */
function getImage(engine: Engine, ref: string) {
  return engine.get(
    `inspect image "${ref}"`,
    { path: `/images/${ref}/json`, reasons: { 404: "no such image", 500: "server error" } },
    (docker) => docker.getImage(ref).inspect(),
  );
}

/** The compact view of image `ref`; throws `not_found` when there is none. */
export async function inspectImage(engine: Engine, ref: string): Promise<ImageInfo> {
  const info = await getImage(engine, ref);
  const config = info.Config ?? {};
  return {
    id: info.Id,
    repoTags: info.RepoTags ?? [],
    created: info.Created,
    size: info.Size,
    labels: config.Labels ?? {},
    os: info.Os,
    architecture: info.Architecture,
    user: config.User ?? "",
    workdir: config.WorkingDir ?? "",
    cmd: config.Cmd ?? null,
    entrypoint: asList(config.Entrypoint),
    env: config.Env ?? [],
    exposedPorts: Object.keys(config.ExposedPorts ?? {}),
  };
}

function asList(value: string | string[] | undefined | null): string[] | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? [value] : value;
}

/** Whether image `ref` exists in the engine. */
export async function imageExists(engine: Engine, ref: string): Promise<boolean> {
  try {
    await getImage(engine, ref);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Removes image `ref` (`force` also untags it from other names and stopped containers). */
export async function removeImage(
  engine: Engine,
  ref: string,
  force = false,
): Promise<{ removed: boolean }> {
  try {
    await engine.run(`remove image "${ref}"`, (docker) => docker.getImage(ref).remove({ force }));
    return { removed: true };
  } catch (error) {
    if (isNotFound(error)) return { removed: false };
    throw error;
  }
}

/**
 * Running commands in containers and reading their logs, with stdout and stderr kept apart.
 *
 * @module
 */
import type { PassThrough } from "node:stream";
import { concatBytes } from "./bytes.ts";
import type { Engine } from "./engine.ts";
import { demuxBuffer, type Demuxed } from "./streams.ts";

/** Input of {@link execInContainer}. */
export interface ExecInput {
  /** Container id or name; it must be running. */
  id: string;
  /** The command and its arguments (no shell unless you run one). */
  cmd: string[];
  /** Extra environment for the command. */
  env?: Record<string, string>;
  /** User (name or uid[:gid]) to run as; the container's user by default. */
  user?: string;
  /** Working directory; the container's by default. */
  workdir?: string;
}

/** What a finished command left: its exit code and its separated output. */
export type ExecResult = { exitCode: number; stdout: string; stderr: string };

/**
 * Runs `input.cmd` in a running container and waits for it to end, returning its exit code,
 * stdout and stderr (demultiplexed with docker-modem's `demuxStream`).
 */
export async function execInContainer(engine: Engine, input: ExecInput): Promise<ExecResult> {
  return await engine.run(`exec in container "${input.id}"`, async (docker) => {
    const container = docker.getContainer(input.id);
    const exec = await container.exec({
      Cmd: input.cmd,
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      Env: Object.entries(input.env ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(input.user === undefined ? {} : { User: input.user }),
      ...(input.workdir === undefined ? {} : { WorkingDir: input.workdir }),
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const { PassThrough } = await import("node:stream");
    const out = collect(new PassThrough());
    const err = collect(new PassThrough());
    container.modem.demuxStream(stream, out.sink, err.sink);
    await new Promise<void>((resolve, reject) => {
      stream.on("end", () => resolve());
      stream.on("close", () => resolve());
      stream.on("error", reject);
    });
    let info = await exec.inspect();
    for (let i = 0; info.Running && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 20));
      info = await exec.inspect();
    }
    return { exitCode: info.ExitCode ?? -1, stdout: out.text(), stderr: err.text() };
  });
}

function collect(sink: PassThrough) {
  const chunks: Uint8Array[] = [];
  sink.on("data", (chunk: Uint8Array) => chunks.push(chunk));
  return {
    sink,
    text: () => new TextDecoder().decode(concatBytes(chunks)),
  };
}

/**
 * The logs of container `id` so far (only the last `tail` lines of both streams together, when
 * given), stdout and stderr apart. A TTY container has one stream, reported as stdout.
 */
export async function containerLogs(engine: Engine, id: string, tail?: number): Promise<Demuxed> {
  return await engine.run(`read logs of container "${id}"`, async (docker) => {
    const container = docker.getContainer(id);
    const tty = (await container.inspect()).Config.Tty;
    const data: unknown = await container.logs({
      stdout: true,
      stderr: true,
      follow: false,
      ...(tail === undefined ? {} : { tail }),
    });
    const bytes = ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new TextEncoder().encode(String(data ?? ""));
    return tty ? { stdout: new TextDecoder().decode(bytes), stderr: "" } : demuxBuffer(bytes);
  });
}

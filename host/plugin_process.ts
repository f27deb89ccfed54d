/**
 * A plugin in its own `deno run` process (`isolation: "process"` in plugins.json), driven like a
 * Worker: JSON messages, one per line, over its stdin and stdout. The process holds exactly the
 * plugin's grants as flags and only the environment variables it is granted; `memoryMb` becomes
 * V8's heap limit. Killing it always works, which a Worker stuck in a loop does not allow.
 *
 * @module
 */
import { fromFileUrl } from "@std/path";
import type { Permissions } from "../manifest/types.ts";
import { toDenoFlags } from "../manifest/permissions.ts";
import { configFlag, denoBinary } from "./deno_cli.ts";
import { type JsonLineWriter, jsonLineWriter, readLines } from "./lines.ts";
import { readableEnv } from "./readable_env.ts";

/** What starting a plugin process needs. */
export interface PluginProcessOptions {
  /** The plugin's manifest name (shown in the process list as `plugin:<name>`). */
  name: string;
  /** The plugin's grants, passed as `--allow-*` flags. */
  permissions: Permissions;
  /** V8's old-space limit in MiB. */
  memoryMb?: number;
}

/** Variables deno itself needs to find its cache and the plugin's npm packages. */
const DENO_ENV = ["HOME", "DENO_DIR", "XDG_CACHE_HOME", "PATH", "NO_COLOR", "TMPDIR"];
const STDERR_TAIL = 4096;

/**
 * The plugin process's environment: what deno needs plus the variables the plugin is granted,
 * those this process can read (the launcher grants repocate a fixed list).
 */
export function processEnv(permissions: Permissions): Record<string, string> {
  const granted = permissions.env === true
    ? Object.keys(Deno.env.toObject())
    : permissions.env === false
    ? []
    : permissions.env;
  const env: Record<string, string> = {};
  for (const name of [...DENO_ENV, ...granted]) {
    const value = readableEnv(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** The `deno run` arguments of a plugin process. */
export function processArgs(options: PluginProcessOptions): string[] {
  return [
    "run",
    "--quiet",
    "--no-prompt",
    configFlag(),
    ...toDenoFlags(options.permissions),
    // `deno run` allows imports from a few well-known hosts unless told otherwise.
    ...(options.permissions.import === false ? ["--deny-import"] : []),
    ...(options.memoryMb ? [`--v8-flags=--max-old-space-size=${options.memoryMb}`] : []),
    fromFileUrl(new URL("./process_entry.ts", import.meta.url)),
    `plugin:${options.name}`,
  ];
}

/** A running plugin process with a Worker's message interface. */
export class PluginProcess {
  /** Receives each message the plugin sends. */
  onmessage: ((event: MessageEvent) => void) | null = null;
  /** Called for output that is not a JSON message. */
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  /** Called once when the process ends unasked, with why. */
  onerror: ((event: ErrorEvent) => void) | null = null;
  #child: Deno.ChildProcess;
  #input: JsonLineWriter;
  #killed = false;
  #stderr = "";

  /** Starts `deno run` of `process_entry.ts` with the plugin's grants. */
  constructor(private readonly options: PluginProcessOptions) {
    this.#child = new Deno.Command(denoBinary(), {
      args: processArgs(options),
      clearEnv: true,
      env: processEnv(options.permissions),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // A failed write means the process is gone, which its exit reports.
    this.#input = jsonLineWriter(this.#child.stdin, () => {});
    void this.#read();
    void this.#readErrors();
    void this.#child.status.then((status) => this.#exited(status));
  }

  /** Sends one message to the plugin. */
  postMessage(message: unknown): void {
    this.#input.write(message);
  }

  /** Kills the process at once. */
  terminate(): void {
    if (this.#killed) return;
    this.#killed = true;
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }

  async #read(): Promise<void> {
    try {
      for await (const line of readLines(this.#child.stdout)) {
        let data: unknown;
        try {
          data = JSON.parse(line);
        } catch {
          this.onmessageerror?.(new MessageEvent("messageerror", { data: line.slice(0, 200) }));
          continue;
        }
        this.onmessage?.(new MessageEvent("message", { data }));
      }
    } catch {
      this.onmessageerror?.(new MessageEvent("messageerror"));
    }
  }

  async #readErrors(): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of this.#child.stderr) {
      this.#stderr = (this.#stderr + decoder.decode(chunk, { stream: true })).slice(-STDERR_TAIL);
    }
  }

  #exited(status: Deno.CommandStatus): void {
    if (this.#killed) return;
    this.#killed = true;
    this.onerror?.(new ErrorEvent("error", { message: this.#exitReason(status) }));
  }

  #exitReason(status: Deno.CommandStatus): string {
    if (/out of memory|heap limit/i.test(this.#stderr)) {
      return this.options.memoryMb
        ? `reached its memory limit of ${this.options.memoryMb} MB (memoryMb in plugins.json)`
        : "ran out of memory";
    }
    const how = status.signal ? `signal ${status.signal}` : `code ${status.code}`;
    const last = this.#stderr.split("\n").map((l) => l.trim()).filter(Boolean).at(-1);
    return `its process exited (${how})${last ? `: ${last.slice(0, 300)}` : ""}`;
  }
}

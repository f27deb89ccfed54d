/**
 * `repocate actions list`, `repocate items list` and `repocate run <action> [json-input]`.
 *
 * @module
 */
import type { Command } from "commander";
import type { JsonValue } from "../interfaces.ts";
import { RepocateError } from "../errors.ts";
import { openRuntime, type Runtime } from "../core/runtime.ts";
import { err, type GlobalOptions, out, outJson, runtimeOptions, table } from "./context.ts";

const globals = (cmd: Command) => cmd.optsWithGlobals() as GlobalOptions;

async function withRuntime<T>(options: GlobalOptions, fn: (r: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(runtimeOptions(options));
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

/** Parses the `[json-input]` argument of `run`; `-` reads stdin. */
export async function parseInput(text: string | undefined): Promise<JsonValue> {
  if (text === undefined) return {};
  const source = text === "-" ? await new Response(Deno.stdin.readable).text() : text;
  try {
    return JSON.parse(source) as JsonValue;
  } catch (error) {
    throw new RepocateError("USAGE", `input is not valid JSON: ${(error as Error).message}`);
  }
}

/** Adds `actions`, `items` and `run` to `program`. */
export function actionsCommands(program: Command): void {
  const actions = program.command("actions").description("the actions plugins registered");
  actions.command("list").description("list actions with owner and description")
    .option("--json", "machine-readable output (includes input schemas)")
    .action((_o, cmd: Command) =>
      withRuntime(globals(cmd), (runtime) => {
        const list = runtime.registry.listActions();
        if (globals(cmd).json) outJson(list);
        else {
          for (
            const line of table([
              ["ACTION", "PLUGIN", "DESCRIPTION"],
              ...list.map((a) => [a.name, a.owner, a.description]),
            ])
          ) {
            out(line);
          }
        }
        return Promise.resolve();
      })
    );

  const items = program.command("items").description("the items plugins registered");
  items.command("list [kind]").description("list items, optionally of one kind")
    .option("--json", "machine-readable output")
    .action((kind: string | undefined, _o, cmd: Command) =>
      withRuntime(globals(cmd), (runtime) => {
        const list = runtime.registry.listItems(kind);
        if (globals(cmd).json) outJson(list);
        else {for (
            const line of table([
              ["KIND", "NAME", "PLUGIN"],
              ...list.map((i) => [i.kind, i.name, i.owner]),
            ])
          ) out(line);}
        return Promise.resolve();
      })
    );

  program.command("run <action> [json-input]")
    .description("invoke an action with JSON input (`-` reads it from stdin)")
    .option("--json", "print the result as JSON even when it is a string")
    .action(async (action: string, inputText: string | undefined, _o, cmd: Command) => {
      const input = await parseInput(inputText);
      await withRuntime(globals(cmd), async (runtime) => {
        const result = await runtime.registry.invoke(action, input, {
          onProgress: (message) => err(`${action}: ${message}`),
        });
        if (typeof result === "string" && !globals(cmd).json) out(result);
        else outJson(result);
      });
    });
}

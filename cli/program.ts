/**
 * The command-line program: commander wiring, global options, and the mapping from errors to
 * exit statuses (2 for bad input, 1 for failed operations). Returns the status; only main.ts
 * exits.
 *
 * @module
 */
import { Command, CommanderError } from "commander";
import { messageOf, RepocateError } from "../errors.ts";
import { actionsCommands } from "./actions.ts";
import { pluginsCommand } from "./plugins.ts";
import { envCommands, requestedExitCode } from "./env.ts";
import { serveCommand } from "./serve.ts";
import { err } from "./context.ts";

/** The version printed by `repocate --version`. */
export const VERSION = "0.1.0";

/** Builds the program; `extend` lets later command groups add themselves. */
export function buildProgram(): Command {
  const program = new Command("repocate")
    .description("a reproducible development container for every git repository, run by plugins")
    .version(VERSION)
    .option(
      "--manifest <file>",
      "plugins.json to use (default: ./plugins.json, else repocate's own)",
    )
    .option("--lock <file>", "plugins.lock.json to use (default: beside the manifest)")
    .option("--frozen", "never write the lock; refuse remote plugins it does not pin")
    .option("--no-check", "skip Deno's type check of plugins at load")
    .option(
      "--cache-dir <dir>",
      "plugin cache folder (default: $REPOCATE_CACHE_DIR or ~/.cache/repocate)",
    )
    .option("--no-cache", "start every plugin's Worker at load instead of on first use")
    .option("--verbose", "show plugins' debug logs")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => Deno.stderr.writeSync(new TextEncoder().encode(s)) });
  envCommands(program);
  pluginsCommand(program);
  actionsCommands(program);
  serveCommand(program);
  for (const cmd of allCommands(program)) cmd.exitOverride();
  return program;
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** Runs the CLI on `args`; returns the exit status. */
export async function runCli(args: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(args, { from: "user" });
    return requestedExitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof RepocateError) {
      err(`repocate: ${error.message}`);
      return error.isUsage ? 2 : 1;
    }
    err(`repocate: internal error: ${messageOf(error)}`);
    if (Deno.env.get("REPOCATE_DEBUG")) console.error(error);
    return 1;
  }
}

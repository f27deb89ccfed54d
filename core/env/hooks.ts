/**
 * Runs devcontainer lifecycle commands (`onCreateCommand`, `postCreateCommand`,
 * `postStartCommand`) in the container as the remote user, in the workspace folder, with
 * `remoteEnv`. A failing command fails the step, naming the hook, the command and its output;
 * later hooks do not run.
 *
 * @module
 */
import { RepocateError } from "../../errors.ts";
import type { Command, EnvironmentPlan } from "../devcontainer/mod.ts";
import type { Progress, Services } from "./services.ts";

function argvOf(command: Extract<Command, { kind: "shell" | "exec" }>): string[] {
  return command.kind === "shell" ? ["/bin/sh", "-c", command.command] : command.argv;
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split("\n").slice(-lines).join(" | ");
}

async function runOne(
  services: Services,
  id: string,
  plan: EnvironmentPlan,
  hook: string,
  command: Extract<Command, { kind: "shell" | "exec" }>,
  progress: Progress,
): Promise<void> {
  const argv = argvOf(command);
  const shown = command.kind === "shell" ? command.command : JSON.stringify(command.argv);
  progress(`${hook}: ${shown}`);
  const result = await services.exec({
    id,
    cmd: argv,
    env: plan.remoteEnv,
    workdir: plan.workspaceFolder,
    ...(plan.remoteUser ? { user: plan.remoteUser } : {}),
  });
  for (const line of (result.stdout + result.stderr).split("\n").filter(Boolean)) {
    progress(`  ${line}`);
  }
  if (result.exitCode !== 0) {
    throw new RepocateError(
      "ACTION_FAILED",
      `${hook} failed with exit code ${result.exitCode}: ${shown}; output: ` +
        (tail(result.stdout + "\n" + result.stderr) || "(none)"),
    );
  }
}

/** Runs one hook; a `parallel` command runs its parts concurrently and fails if any fails. */
export async function runHook(
  services: Services,
  id: string,
  plan: EnvironmentPlan,
  hook: string,
  command: Command,
  progress: Progress,
): Promise<void> {
  if (command.kind !== "parallel") return runOne(services, id, plan, hook, command, progress);
  const parts = Object.entries(command.commands);
  const results = await Promise.allSettled(
    parts.map(([label, part]) => runHook(services, id, plan, `${hook}[${label}]`, part, progress)),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

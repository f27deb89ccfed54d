/**
 * The environment commands: create, enter, start, stop, rebuild, list, rm, clone, snapshot,
 * rollback, volume. Each parses its arguments, calls one core function and prints the result.
 *
 * @module
 */
import type { Command } from "commander";
import { RepocateError } from "../errors.ts";
import { openRuntime, type Runtime } from "../core/runtime.ts";
import { type Environment, listEnvironments } from "../core/env/environments.ts";
import { Services } from "../core/env/services.ts";
import { envSettings } from "../core/env/settings.ts";
import { err, type GlobalOptions, out, outJson, runtimeOptions, table } from "./context.ts";

// Loaded by the commands that use them, so `list` and the other commands start without the
// devcontainer code (zod schemas, jsonc-parser) they never run.
const loadCreate = () => import("../core/env/create.ts");
const loadEnter = () => import("../core/env/enter.ts");
const loadOperations = () => import("../core/env/operations.ts");
const loadRebuild = () => import("../core/env/rebuild.ts");

type Opts = GlobalOptions & Record<string, unknown>;
const globals = (cmd: Command) => cmd.optsWithGlobals() as Opts;

/** Exit status a command asks main.ts for (set by `enter -- cmd`). */
export let requestedExitCode = 0;

async function withServices<T>(
  cmd: Command,
  fn: (services: Services, runtime: Runtime) => Promise<T>,
): Promise<T> {
  const runtime = await openRuntime(runtimeOptions(globals(cmd)));
  try {
    return await fn(new Services(runtime.registry), runtime);
  } finally {
    await runtime.close();
  }
}

const progress = (line: string) => err(line);

function age(iso: string | null): string {
  if (!iso) return "-";
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return `${Math.floor(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

function showEnvironment(env: Environment, json: boolean): void {
  if (json) return outJson(env);
  out(`${env.name}: ${env.state}  image ${env.image ?? "-"}  workspace ${env.workspace}`);
  for (const p of env.ports) out(`  port ${p.container} -> 127.0.0.1:${p.host}`);
}

/** Adds the environment commands to `program`. */
export function envCommands(program: Command): void {
  program.command("create <repo>")
    .description("clone a repository (URL or path) and start its development container")
    .option("--name <name>", "environment name (default: from the repository)")
    .option("--image <image>", "use this image instead of the repository's configuration")
    .option("--branch <branch>", "branch to check out")
    .option("--json", "machine-readable output")
    .action((repo: string, _o, cmd: Command) =>
      withServices(cmd, async (services) => {
        const o = globals(cmd);
        const { createEnvironment } = await loadCreate();
        const env = await createEnvironment(services, envSettings(), {
          repo,
          name: o.name as string | undefined,
          image: o.image as string | undefined,
          branch: o.branch as string | undefined,
        }, progress);
        showEnvironment(env, Boolean(o.json));
      })
    );

  program.command("list").alias("ls").description("list environments: state, image, ports, age")
    .option("--json", "machine-readable output")
    .action((_o, cmd: Command) =>
      withServices(cmd, async (services) => {
        const envs = await listEnvironments(services, envSettings());
        if (globals(cmd).json) return outJson(envs);
        const rows = [["NAME", "STATE", "IMAGE", "PORTS", "AGE", "REPOSITORY"]];
        for (const e of envs) {
          rows.push([
            e.name,
            e.state,
            e.image ?? "-",
            e.ports.map((p) => `${p.host}->${p.container}`).join(",") || "-",
            age(e.createdAt),
            e.repo || "-",
          ]);
        }
        for (const line of table(rows)) out(line);
      })
    );

  for (
    const [verb, description] of [["start", "start a stopped environment"], [
      "stop",
      "stop an environment (nothing is removed)",
    ]] as const
  ) {
    program.command(`${verb} <env>`).description(description).option(
      "--json",
      "machine-readable output",
    )
      .action((name: string, _o, cmd: Command) =>
        withServices(cmd, async (services) => {
          const { startEnvironment, stopEnvironment } = await loadOperations();
          const env = verb === "start"
            ? await startEnvironment(services, envSettings(), name, progress)
            : await stopEnvironment(services, envSettings(), name);
          showEnvironment(env, Boolean(globals(cmd).json));
        })
      );
  }

  program.command("rebuild <env>")
    .description(
      "snapshot, then a new image (only if its inputs changed) and container; same workspace and volume",
    )
    .option("--image <image>", "use this image instead of the repository's configuration")
    .option("--json", "machine-readable output")
    .action((name: string, _o, cmd: Command) =>
      withServices(cmd, async (services) => {
        const o = globals(cmd);
        const { rebuildEnvironment } = await loadRebuild();
        const result = await rebuildEnvironment(services, envSettings(), name, {
          image: o.image as string | undefined,
        }, progress);
        if (o.json) return outJson(result);
        out(
          `snapshot ${result.snapshot.id} taken first; image ${
            result.imageRebuilt ? "rebuilt" : "reused"
          }`,
        );
        showEnvironment(result.environment, false);
      })
    );

  program.command("rm <env>")
    .description(
      "snapshot, then remove the container; --purge also deletes workspace and home volume",
    )
    .option("--purge", "also delete the workspace folder and the home volume")
    .option("-y, --yes", "do not ask before --purge")
    .option("--json", "machine-readable output")
    .action((name: string, _o, cmd: Command) =>
      withServices(cmd, async (services) => {
        const o = globals(cmd);
        const purge = Boolean(o.purge);
        if (purge && !o.yes) {
          if (!Deno.stdin.isTerminal()) {
            throw new RepocateError(
              "USAGE",
              `--purge deletes the workspace of "${name}"; pass --yes to confirm`,
            );
          }
          if (!confirm(`Delete the workspace and home volume of "${name}" for good?`)) {
            throw new RepocateError("USAGE", "not confirmed; nothing was removed");
          }
        }
        const { removeEnvironment } = await loadOperations();
        const result = await removeEnvironment(services, envSettings(), name, { purge }, progress);
        if (o.json) return outJson(result);
        out(
          purge
            ? `removed ${result.name}: container, workspace and home volume deleted`
            : `removed ${result.name}'s container; workspace kept` +
              (result.snapshot ? ` with snapshot ${result.snapshot.id}` : ""),
        );
      })
    );

  program.command("enter <env> [command...]")
    .description("open a shell in an environment, or run `-- command` and return its exit code")
    .action((name: string, command: string[], _o, cmd: Command) =>
      withServices(cmd, async (services) => {
        const { execInEnvironment, execTarget } = await loadEnter();
        if (command.length) {
          const result = await execInEnvironment(services, envSettings(), name, command);
          if (result.stdout) Deno.stdout.writeSync(new TextEncoder().encode(result.stdout));
          if (result.stderr) Deno.stderr.writeSync(new TextEncoder().encode(result.stderr));
          requestedExitCode = result.exitCode;
          return;
        }
        const target = await execTarget(services, envSettings(), name);
        const argv = await services.shellCommand(target);
        const child = new Deno.Command(argv[0], {
          args: argv.slice(1),
          stdin: "inherit",
          stdout: "inherit",
          stderr: "inherit",
        }).spawn();
        requestedExitCode = (await child.status).code;
      })
    );

  program.command("clone <repo>").description(
    "clone a repository into the workspace root, without a container",
  )
    .option("--name <name>", "workspace name")
    .option("--branch <branch>", "branch to check out")
    .action((repo: string, _o, cmd: Command) =>
      withServices(cmd, async (services) => {
        const o = globals(cmd);
        const { cloneOnly } = await loadOperations();
        const result = await cloneOnly(services, envSettings(), {
          repo,
          name: o.name as string | undefined,
          branch: o.branch as string | undefined,
        }, progress);
        out(`cloned ${result.url} into ${result.workspace}`);
      })
    );

  program.command("snapshot <env>")
    .description(
      "record the workspace's whole working tree (untracked files too); --list shows them",
    )
    .option("-m, --message <text>", "snapshot message", "manual snapshot")
    .option("--list", "list snapshots, newest first")
    .option("--json", "machine-readable output")
    .action((name: string, _o, cmd: Command) =>
      withServices(cmd, async (services) => {
        const o = globals(cmd);
        const { listSnapshots, snapshotEnvironment } = await loadOperations();
        if (o.list) {
          const list = await listSnapshots(services, envSettings(), name);
          if (o.json) return outJson(list);
          for (
            const line of table([
              ["ID", "CREATED", "MESSAGE"],
              ...list.map((s) => [s.id, s.createdAt, s.message]),
            ])
          ) out(line);
          return;
        }
        const snap = await snapshotEnvironment(services, envSettings(), name, String(o.message));
        if (o.json) outJson(snap);
        else out(`snapshot ${snap.id} (${snap.commit.slice(0, 12)})`);
      })
    );

  program.command("rollback <env> <snapshot>")
    .description("restore the workspace to a snapshot (the current state is snapshotted first)")
    .option("--json", "machine-readable output")
    .action((name: string, id: string, _o, cmd: Command) =>
      withServices(cmd, async (services) => {
        const { rollbackEnvironment } = await loadOperations();
        const result = await rollbackEnvironment(services, envSettings(), name, id);
        if (globals(cmd).json) return outJson(result);
        out(
          `rolled back to ${result.id}; the state before is snapshot ${result.safetySnapshot.id}`,
        );
      })
    );

  const volume = program.command("volume").description("repocate's home volumes");
  volume.command("ls").description("list volumes, their environment and whether in use")
    .option("--json", "machine-readable output")
    .action((_o, cmd: Command) =>
      withServices(cmd, async (services) => {
        const { listVolumes } = await loadOperations();
        const list = await listVolumes(services, envSettings());
        if (globals(cmd).json) return outJson(list);
        for (
          const line of table([
            ["VOLUME", "ENVIRONMENT", "IN USE"],
            ...list.map((v) => [v.name, v.environment, v.inUse ? "yes" : "no"]),
          ])
        ) out(line);
      })
    );
  volume.command("rm <name>").description("remove a volume no container uses")
    .action((name: string, _o, cmd: Command) =>
      withServices(cmd, async (services) => {
        const { removeVolume } = await loadOperations();
        await removeVolume(services, envSettings(), name);
        out(`removed volume ${name}`);
      })
    );
}

/**
 * `repocate create`: clone a repository into the workspace root, resolve its devcontainer.json
 * (or Dockerfile, or the default image), build, create and start a labelled container with the
 * workspace mounted, and run the create-time hooks. One creation per name at a time; a failure
 * leaves no container behind and never deletes a workspace that holds work.
 *
 * @module
 */
import { join } from "@std/path";
import { RepocateError } from "../../errors.ts";
import { configHash, runHash } from "../devcontainer/mod.ts";
import { ensureImage, provision } from "./container.ts";
import { acquireCreateLock, diskFailure } from "./create_lock.ts";
import { type Environment, fromContainer } from "./environments.ts";
import { forName, isPending, LABEL, MANAGED } from "./labels.ts";
import { checkEnvName } from "./names.ts";
import { requireActions } from "./operations.ts";
import type { Progress, Services } from "./services.ts";
import type { EnvSettings } from "./settings.ts";
import { planOf } from "./plan.ts";

/** What to create. */
export interface CreateRequest {
  /** A repository URL or local path. */
  repo: string;
  /** The environment name (default: derived from the repository). */
  name?: string;
  /** Use this image instead of the repository's configuration. */
  image?: string;
  /** Branch to check out. */
  branch?: string;
  /** Folder relative paths are resolved against. */
  cwd?: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Picks the name: the requested one, or the repository's, made distinct from other repos'. */
async function chooseName(
  services: Services,
  req: CreateRequest,
): Promise<{ name: string; url: string }> {
  const existing = await services.containers(MANAGED);
  const owners = new Map(existing.map((c) => [c.labels[LABEL.name], c.labels[LABEL.repo]]));
  const cwd = req.cwd ?? Deno.cwd();
  let ref = await services.parseRepo(req.repo, cwd, []);
  const takenByOthers = [...owners].filter(([, repo]) => repo !== ref.url).map(([n]) => n);
  // Asked again, with the names other repositories hold, only when the base name is one of them
  // (else the answer would be the same).
  if (takenByOthers.includes(ref.suggestedName)) {
    ref = await services.parseRepo(req.repo, cwd, takenByOthers);
  }
  const name = checkEnvName(req.name ?? ref.suggestedName);
  const owner = owners.get(name);
  const halfMade = existing.some((c) => c.labels[LABEL.name] === name && isPending(c.name));
  if (owner !== undefined && !(halfMade && owner === ref.url)) {
    throw new RepocateError(
      "USAGE",
      owner === ref.url
        ? `environment "${name}" for ${ref.url} already exists; use it, or pass --name to make another`
        : `the name "${name}" is taken by the environment of ${owner}; pass --name`,
    );
  }
  return { name, url: ref.url };
}

/** Creates an environment; reports progress; returns it running. */
export async function createEnvironment(
  services: Services,
  settings: EnvSettings,
  req: CreateRequest,
  progress: Progress,
): Promise<Environment> {
  requireActions(services, "create", [
    "docker.ping",
    "docker.container.list",
    "git.url.parse",
    "git.clone",
  ]);
  await services.ping();
  const { name, url } = await chooseName(services, req);
  const release = await acquireCreateLock(settings.locks, name);
  try {
    // Under the lock, any container of this name is either complete (another create won the
    // race) or half-made by a create that died: finish the job by replacing it.
    for (const c of await services.containers(forName(name))) {
      if (!isPending(c.name)) {
        throw new RepocateError("USAGE", `environment "${name}" for ${url} already exists`);
      }
      progress(`removing the half-made container of an interrupted create (${c.id.slice(0, 12)})`);
      await services.removeContainer(c.id);
    }
    const workspace = join(settings.workspaces, name);
    if (await exists(join(workspace, ".git"))) {
      progress(`reusing the workspace ${workspace} left by an earlier attempt`);
    } else {
      if (await exists(workspace)) {
        throw new RepocateError(
          "USAGE",
          `${workspace} exists and is not a git clone; move it away or pass --name`,
        );
      }
      await Deno.mkdir(settings.workspaces, { recursive: true }).catch((error) => {
        throw diskFailure("make the workspace root", settings.workspaces, error);
      });
      await services.clone(
        { url, dest: workspace, ...(req.branch ? { branch: req.branch } : {}) },
        progress,
      );
    }
    const plan = await planOf(workspace, name, settings.defaultImage, req.image);
    for (const warning of plan.warnings) progress(`warning: ${warning}`);
    const hash = await configHash(plan, workspace);
    const { image } = await ensureImage(services, { name, plan, configHash: hash }, progress);
    const id = await provision(
      services,
      {
        name,
        repo: url,
        workspace,
        plan,
        configHash: hash,
        runHash: await runHash(plan),
        home: settings.home,
      },
      image,
      progress,
    );
    const [container] = (await services.containers(forName(name))).filter((c) => c.id === id);
    if (!container) {
      throw new RepocateError("ACTION_FAILED", `container of "${name}" vanished after start`);
    }
    progress(`environment "${name}" is ${container.state}`);
    return fromContainer(container);
  } finally {
    await release();
  }
}

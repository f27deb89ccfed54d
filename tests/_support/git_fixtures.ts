/**
 * Real git repositories for tests: a working repo with commits (and branches), a bare repo made
 * from one, and repos with a Dockerfile, with `.devcontainer/devcontainer.json`, or with neither.
 * git runs with a fixed identity and without the user's or the system's config, so fixtures are
 * the same on every machine.
 *
 * Needs: `run` for `git`, `read` and `write` on the directories given, `env` for `PATH`.
 *
 * @module
 */
import { dirname, join } from "node:path";

/** Files to write: path relative to the repo → content. */
export type Files = Record<string, string | Uint8Array>;

/** The environment fixture git commands run with. */
export const FIXTURE_GIT_ENV: Readonly<Record<string, string>> = {
  GIT_AUTHOR_NAME: "Fixture Author",
  GIT_AUTHOR_EMAIL: "author@fixture.test",
  GIT_COMMITTER_NAME: "Fixture Author",
  GIT_COMMITTER_EMAIL: "author@fixture.test",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  LC_ALL: "C",
};

/** Runs `git args…` in `cwd` with {@link FIXTURE_GIT_ENV}; returns stdout, throws with stderr. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  return new TextDecoder().decode(await gitBytes(cwd, ...args));
}

/** Like {@link git}, returning stdout as bytes. */
export async function gitBytes(cwd: string, ...args: string[]): Promise<Uint8Array> {
  const out = await new Deno.Command("git", {
    args,
    cwd,
    env: { ...FIXTURE_GIT_ENV, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    clearEnv: true,
    stdin: "null",
  }).output();
  if (!out.success) {
    const stderr = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${stderr}`);
  }
  return out.stdout;
}

/** A fresh temporary directory, symlinks resolved. */
export async function makeTempDir(prefix = "repocate-git-"): Promise<string> {
  return await Deno.realPath(await Deno.makeTempDir({ prefix }));
}

/** Writes `files` under `dir`, creating parent directories. */
export async function writeFiles(dir: string, files: Files): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    await Deno.mkdir(dirname(full), { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(full, content);
    else await Deno.writeFile(full, content);
  }
}

/** Options of {@link makeRepo}. */
export interface RepoOptions {
  /** The initial branch's name (default `main`). */
  branch?: string;
  /** Extra branches made from the last commit, each with one commit of its files. */
  branches?: Record<string, Files>;
}

/**
 * Makes a working repository at `dir` (created if missing) with one commit per entry of
 * `commits` (`commit 1`, `commit 2`, …), then any extra branches, back on the initial branch.
 * Returns `dir`.
 */
export async function makeRepo(
  dir: string,
  commits: Files | Files[],
  options: RepoOptions = {},
): Promise<string> {
  const branch = options.branch ?? "main";
  await Deno.mkdir(dir, { recursive: true });
  await git(dir, "init", "-q", "-b", branch);
  const list = Array.isArray(commits) ? commits : [commits];
  for (const [i, files] of list.entries()) {
    await writeFiles(dir, files);
    await git(dir, "add", "-A");
    await git(dir, "commit", "-q", "--allow-empty", "-m", `commit ${i + 1}`);
  }
  for (const [name, files] of Object.entries(options.branches ?? {})) {
    await git(dir, "checkout", "-q", "-b", name);
    await writeFiles(dir, files);
    await git(dir, "add", "-A");
    await git(dir, "commit", "-q", "--allow-empty", "-m", `on ${name}`);
    await git(dir, "checkout", "-q", branch);
  }
  return dir;
}

/** Makes a bare clone of `source` at `dest` (all branches). Returns `dest`. */
export async function makeBareRepo(source: string, dest: string): Promise<string> {
  await git(dirname(source), "clone", "-q", "--bare", source, dest);
  return dest;
}

/** A Dockerfile that builds quickly. */
export const DEFAULT_DOCKERFILE = 'FROM alpine:3.20\nCMD ["sh"]\n';

/** A minimal devcontainer.json. */
export const DEFAULT_DEVCONTAINER = JSON.stringify(
  { name: "fixture", image: "alpine:3.20" },
  null,
  2,
) + "\n";

/** A repo with a `Dockerfile` (default {@link DEFAULT_DOCKERFILE}) plus `files`. */
export function makeDockerfileRepo(dir: string, files: Files = {}): Promise<string> {
  return makeRepo(dir, {
    "README.md": "# with Dockerfile\n",
    Dockerfile: DEFAULT_DOCKERFILE,
    ...files,
  });
}

/** A repo with `.devcontainer/devcontainer.json` (default {@link DEFAULT_DEVCONTAINER}). */
export function makeDevcontainerRepo(dir: string, files: Files = {}): Promise<string> {
  return makeRepo(dir, {
    "README.md": "# with devcontainer\n",
    ".devcontainer/devcontainer.json": DEFAULT_DEVCONTAINER,
    ...files,
  });
}

/** A repo with neither a Dockerfile nor a devcontainer.json: only `files` (and a README). */
export function makePlainRepo(dir: string, files: Files = {}): Promise<string> {
  return makeRepo(dir, { "README.md": "# plain\n", ...files });
}

/** Every file under `dir` (relative paths, sorted), skipping `.git`; for comparing trees. */
export async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (rel === ".git") continue;
    if (entry.isDirectory) out.push(...await listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

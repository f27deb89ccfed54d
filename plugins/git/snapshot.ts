/**
 * Snapshots of a whole working tree as commits under `refs/repocate/snapshots/<id>`, made without
 * touching the user's branch, index, stash or files: `git add -A` runs into a temporary copy of
 * the index (`GIT_INDEX_FILE`), then `write-tree`, `commit-tree` (parent: HEAD, if any) and
 * `update-ref`. Rollback makes the working tree and index equal to a snapshot, after taking a
 * safety snapshot, and leaves HEAD where it is.
 *
 * Needs: `run` for `git`; `read` and `write` on the repository's git directory (the temporary
 * index is a file there) and on the workspace.
 *
 * @module
 */
import { GitError, isReadOnlyFs, readOnlyError } from "./errors.ts";
import { runGit, tryGit } from "./runner.ts";
import { repoRoot } from "./status.ts";
import { existingDir, type GitSettings } from "./workspace.ts";

/** Where snapshot refs live. */
export const SNAPSHOT_REF_PREFIX = "refs/repocate/snapshots/";
/** The identity snapshot commits are made with (so they work without any git config). */
export const SNAPSHOT_IDENTITY = { name: "repocate", email: "repocate@localhost" } as const;

const ID = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-[0-9a-f]{6}$/;
const MAX_MESSAGE = 10_000;

/** A snapshot as `git.snapshot.list` shows it. Plain JSON. */
export interface SnapshotInfo {
  /** Sortable id: UTC `YYYYMMDDTHHMMSSmmmZ` plus `-` and 6 random hex digits. */
  id: string;
  /** Its ref, `refs/repocate/snapshots/<id>`. */
  ref: string;
  /** The snapshot commit. */
  commit: string;
  /** Its parent (HEAD when taken), or null in a repository without commits. */
  parent: string | null;
  /** The commit message. */
  message: string;
  /** When it was taken (ISO 8601, from the id). */
  createdAt: string;
  [key: string]: string | null;
}

/** A snapshot just taken: {@link SnapshotInfo} plus its tree. */
export interface CreatedSnapshot extends SnapshotInfo {
  /** The tree recorded. */
  tree: string;
}

/** Result of a rollback. */
export interface RollbackResult {
  /** The snapshot rolled back to. */
  id: string;
  /** Its commit. */
  commit: string;
  /** The snapshot of the state before the rollback; roll back to it to undo. */
  safetySnapshot: CreatedSnapshot;
  [key: string]: string | CreatedSnapshot;
}

/** A new snapshot id for time `now`. */
export function newSnapshotId(now = new Date(), random?: Uint8Array): string {
  const bytes = random ?? crypto.getRandomValues(new Uint8Array(3));
  const hex = [...bytes.subarray(0, 3)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(".", "");
  return `${stamp}-${hex}`;
}

/** Whether `id` has the shape of a snapshot id. */
export function isSnapshotId(id: string): boolean {
  return typeof id === "string" && ID.test(id);
}

/** The ISO time a snapshot id encodes. Throws on a malformed id. */
export function snapshotTime(id: string): string {
  const m = ID.exec(id);
  if (!m) throw new GitError("GIT_INPUT_INVALID", `malformed snapshot id ${JSON.stringify(id)}`);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`;
}

/** Takes a snapshot of the working tree containing `dir`. See the module doc. */
export async function createSnapshot(
  settings: GitSettings,
  dir: string,
  message?: string,
  forceAdd: readonly string[] = [],
): Promise<CreatedSnapshot> {
  if (message !== undefined) checkMessage(message);
  const root = await repoRoot(settings, dir);
  const opts = { workspaceRoot: settings.workspaceRoot };
  const gitDir = await existingDir(
    settings,
    (await runGit(root, ["rev-parse", "--absolute-git-dir"], opts)).trim(),
    "git directory",
  );
  const parent = (await tryGit(root, ["rev-parse", "--verify", "-q", "HEAD^{commit}"], opts))
    ?.trim() || null;
  const id = newSnapshotId();
  const createdAt = snapshotTime(id);
  const ref = `${SNAPSHOT_REF_PREFIX}${id}`;
  const text = message ?? `repocate snapshot ${id}`;
  const tempIndex = `${gitDir}/repocate-index-${id}`;
  try {
    try {
      await Deno.copyFile(`${gitDir}/index`, tempIndex);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const indexEnv = { ...opts, env: { GIT_INDEX_FILE: tempIndex } };
    await runGit(root, ["add", "-A"], indexEnv);
    if (forceAdd.length) {
      const literal = { ...opts, env: { ...indexEnv.env, GIT_LITERAL_PATHSPECS: "1" } };
      await runGit(root, ["add", "-f", "--", ...forceAdd], literal);
    }
    const tree = (await runGit(root, ["write-tree"], indexEnv)).trim();
    const when = `@${Math.floor(Date.parse(createdAt) / 1000)} +0000`;
    const identity = {
      GIT_AUTHOR_NAME: SNAPSHOT_IDENTITY.name,
      GIT_AUTHOR_EMAIL: SNAPSHOT_IDENTITY.email,
      GIT_AUTHOR_DATE: when,
      GIT_COMMITTER_NAME: SNAPSHOT_IDENTITY.name,
      GIT_COMMITTER_EMAIL: SNAPSHOT_IDENTITY.email,
      GIT_COMMITTER_DATE: when,
    };
    const commit = (await runGit(root, [
      "commit-tree",
      "--no-gpg-sign",
      ...(parent ? ["-p", parent] : []),
      "-m",
      text,
      tree,
    ], { ...opts, env: identity })).trim();
    await runGit(root, ["update-ref", "-m", `repocate: snapshot ${id}`, ref, commit, ""], opts);
    return { id, ref, commit, parent, message: text, createdAt, tree };
  } catch (error) {
    if (isReadOnlyFs(error)) throw readOnlyError(`snapshot ${root}`, root, error);
    throw error;
  } finally {
    for (const path of [tempIndex, `${tempIndex}.lock`]) {
      await Deno.remove(path).catch(() => {});
    }
  }
}

/** The snapshots of the repository containing `dir`, newest first. */
export async function listSnapshots(settings: GitSettings, dir: string): Promise<SnapshotInfo[]> {
  const root = await repoRoot(settings, dir);
  const output = await runGit(root, [
    "for-each-ref",
    "--sort=-refname",
    "--format=%(refname)%1f%(objectname)%1f%(parent)%1f%(contents)%1e",
    SNAPSHOT_REF_PREFIX,
  ], { workspaceRoot: settings.workspaceRoot });
  return parseSnapshotList(output);
}

/** Parses the `for-each-ref` output {@link listSnapshots} asks for. Pure. */
export function parseSnapshotList(output: string): SnapshotInfo[] {
  const list: SnapshotInfo[] = [];
  for (const record of output.split("\x1e")) {
    const [ref, commit, parents, contents] = record.replace(/^\n/, "").split("\x1f");
    if (!ref || !commit || !ref.startsWith(SNAPSHOT_REF_PREFIX)) continue;
    const id = ref.slice(SNAPSHOT_REF_PREFIX.length);
    if (!isSnapshotId(id)) continue;
    const parent = parents?.trim().split(" ")[0] || null;
    const message = (contents ?? "").replace(/\n+$/, "");
    list.push({ id, ref, commit, parent, message, createdAt: snapshotTime(id) });
  }
  return list;
}

/** Makes the working tree and index of `dir`'s repository equal to snapshot `id`. */
export async function rollbackSnapshot(
  settings: GitSettings,
  dir: string,
  id: string,
): Promise<RollbackResult> {
  const root = await repoRoot(settings, dir);
  const opts = { workspaceRoot: settings.workspaceRoot };
  const commit = isSnapshotId(id)
    ? (await tryGit(
      root,
      ["rev-parse", "--verify", "-q", `${SNAPSHOT_REF_PREFIX}${id}^{commit}`],
      opts,
    ))
      ?.trim()
    : undefined;
  if (!commit) {
    throw new GitError(
      "GIT_SNAPSHOT_NOT_FOUND",
      `snapshot ${
        JSON.stringify(id)
      } not found in ${root}; run git.snapshot.list to see its snapshots`,
    );
  }
  const overwritten = await ignoredFilesIn(root, commit, opts);
  const safetySnapshot = await createSnapshot(
    settings,
    root,
    `repocate: safety snapshot before rolling back to ${id}`,
    overwritten,
  );
  await runGit(root, ["read-tree", safetySnapshot.tree], opts);
  await runGit(root, ["read-tree", "--reset", "-u", `${commit}^{tree}`], opts);
  await tryGit(root, ["update-index", "-q", "--refresh"], opts);
  return { id, commit, safetySnapshot };
}

/**
 * Files that exist now, are ignored, and that snapshot `commit` would overwrite: the safety
 * snapshot force-adds them so a rollback never loses content.
 */
async function ignoredFilesIn(
  root: string,
  commit: string,
  opts: { workspaceRoot: string },
): Promise<string[]> {
  const ignored = (await runGit(root, [
    "ls-files",
    "-z",
    "--others",
    "--ignored",
    "--exclude-standard",
    "--directory",
  ], opts)).split("\0").filter((p) => p !== "");
  if (ignored.length === 0) return [];
  const files = new Set(ignored.filter((p) => !p.endsWith("/")));
  const dirs = ignored.filter((p) => p.endsWith("/"));
  const tracked = (await runGit(root, ["ls-tree", "-r", "-z", "--name-only", commit], opts))
    .split("\0").filter((p) => p !== "");
  const hits: string[] = [];
  for (const path of tracked) {
    if (!files.has(path) && !dirs.some((d) => path.startsWith(d))) continue;
    try {
      if ((await Deno.lstat(`${root}/${path}`)).isFile) hits.push(path);
    } catch {
      // not there: nothing to lose
    }
  }
  return hits;
}

function checkMessage(message: string): void {
  if (typeof message !== "string" || message.length > MAX_MESSAGE || message.includes("\0")) {
    throw new GitError(
      "GIT_INPUT_INVALID",
      `snapshot message must be a string of at most ${MAX_MESSAGE} characters without NUL`,
    );
  }
}

/**
 * Named volumes: create, list by label, remove.
 *
 * @module
 */
import type { Engine } from "./engine.ts";
import { isNotFound } from "./errors.ts";

/** The compact JSON view of a volume. */
export type VolumeInfo = {
  name: string;
  driver: string;
  labels: Record<string, string>;
  mountpoint: string;
  createdAt: string | null;
};

interface RawVolume {
  Name: string;
  Driver: string;
  Labels?: Record<string, string> | null;
  Mountpoint: string;
  CreatedAt?: string;
}

function compact(v: RawVolume): VolumeInfo {
  return {
    name: v.Name,
    driver: v.Driver,
    labels: v.Labels ?? {},
    mountpoint: v.Mountpoint,
    createdAt: v.CreatedAt ?? null,
  };
}

/** Creates volume `name` with `labels` (an existing volume of that name is returned as is). */
export async function createVolume(
  engine: Engine,
  name: string,
  labels: Record<string, string> = {},
): Promise<VolumeInfo> {
  const info = await engine.run(`create volume "${name}"`, async (docker) => {
    const volume = await docker.createVolume({ Name: name, Labels: labels });
    return await volume.inspect();
  });
  return compact(info as RawVolume);
}

/** Volumes carrying every label in `labels`, sorted by name. */
export async function listVolumes(
  engine: Engine,
  labels: Record<string, string> = {},
): Promise<VolumeInfo[]> {
  const filters = { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
  const answer = await engine.run("list volumes", (docker) => docker.listVolumes({ filters }));
  return (answer.Volumes ?? [])
    .map((v) => compact(v as unknown as RawVolume))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Removes volume `name`; `removed: false` when there was none. Fails while a container uses it. */
export async function removeVolume(
  engine: Engine,
  name: string,
  force = false,
): Promise<{ removed: boolean }> {
  try {
    await engine.run(
      `remove volume "${name}"`,
      (docker) => docker.getVolume(name).remove({ force }),
    );
    return { removed: true };
  } catch (error) {
    if (isNotFound(error)) return { removed: false };
    throw error;
  }
}

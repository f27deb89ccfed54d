import { assertEquals, assertRejects } from "@std/assert";
import { contextFiles, resolveDockerfile } from "./context.ts";
import { DockerPluginError } from "./errors.ts";
import { withTempDir } from "../../tests/_support/docker_engine.ts";

Deno.test("contextFiles lists files and symlinks under the context, sorted, not directories", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/src/deep`, { recursive: true });
    await Deno.mkdir(`${dir}/empty`);
    await Deno.writeTextFile(`${dir}/Dockerfile`, "FROM x\n");
    await Deno.writeTextFile(`${dir}/src/deep/a.txt`, "a");
    await Deno.symlink("deep/a.txt", `${dir}/src/link`);
    assertEquals(await contextFiles(dir), ["Dockerfile", "src/deep/a.txt", "src/link"]);
  });
});

Deno.test("resolveDockerfile accepts a file inside the context and refuses one outside", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/docker`);
    await Deno.writeTextFile(`${dir}/docker/Dockerfile.dev`, "FROM x\n");
    assertEquals(
      await resolveDockerfile(dir, "./docker/../docker/Dockerfile.dev"),
      "docker/Dockerfile.dev",
    );
    await assertRejects(() => resolveDockerfile(dir, "../Dockerfile"), DockerPluginError, "inside");
    await assertRejects(() => resolveDockerfile(dir, "/etc/passwd"), DockerPluginError, "inside");
    await assertRejects(
      () => resolveDockerfile(dir, "Dockerfile"),
      DockerPluginError,
      "does not exist",
    );
    await assertRejects(() => resolveDockerfile(dir, "docker"), DockerPluginError, "not a file");
    await assertRejects(
      () => resolveDockerfile("rel/dir", "Dockerfile"),
      DockerPluginError,
      "not absolute",
    );
    await assertRejects(
      () => resolveDockerfile(`${dir}/nope`, "Dockerfile"),
      DockerPluginError,
      "does not exist",
    );
  });
});

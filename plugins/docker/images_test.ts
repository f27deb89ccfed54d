import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { startInProcess } from "../_testing/in_process.ts";
import { Ops } from "./mod.ts";
import { DockerPluginError } from "./errors.ts";
import {
  BUSYBOX_IMAGE,
  dockerTest,
  TEST_LABEL,
  uniqueName,
  withTempDir,
} from "../../tests/_support/docker_engine.ts";

Deno.test({
  name: "an image builds from a context dir, streaming its log, and can be inspected and removed",
  ...dockerTest,
  async fn() {
    const plugin = await startInProcess(Ops);
    const tag = `${uniqueName("img")}:v1`;
    try {
      await withTempDir(async (dir) => {
        await Deno.mkdir(`${dir}/build`);
        await Deno.writeTextFile(
          `${dir}/build/Dockerfile.test`,
          `FROM ${BUSYBOX_IMAGE}\nARG GREETING\nCOPY files/ /srv/\n` +
            `RUN echo "$GREETING" > /srv/greeting && echo built-ok\nCMD ["cat", "/srv/greeting"]\n`,
        );
        await Deno.mkdir(`${dir}/files/sub`, { recursive: true });
        await Deno.writeTextFile(`${dir}/files/sub/hello.txt`, "hello\n");
        const built = await plugin.call("docker.image.build", {
          context: dir,
          dockerfile: "build/Dockerfile.test",
          tag,
          buildArgs: { GREETING: "hi there" },
          labels: { [TEST_LABEL]: "images" },
        }) as { id: string; tag: string };
        assertEquals(built.tag, tag);
        assert(built.id.startsWith("sha256:"));
        assert(plugin.progress.some((line) => line.startsWith("Step 1/")), "streams steps");
        assert(plugin.progress.includes("built-ok"), "streams RUN output line by line");
        assert(plugin.progress.every((line) => !line.includes("\n")));
      });
      const info = await plugin.call("docker.image.inspect", { ref: tag }) as Record<
        string,
        unknown
      >;
      assertEquals(info.repoTags, [tag]);
      assertEquals(info.cmd, ["cat", "/srv/greeting"]);
      assertEquals((info.labels as Record<string, string>)[TEST_LABEL], "images");
      assertEquals(await plugin.call("docker.image.exists", { ref: tag }), { exists: true });
      assertEquals(await plugin.call("docker.image.remove", { ref: tag }), { removed: true });
      assertEquals(await plugin.call("docker.image.exists", { ref: tag }), { exists: false });
      assertEquals(await plugin.call("docker.image.remove", { ref: tag }), { removed: false });
      const missing = await assertRejects(
        () => plugin.call("docker.image.inspect", { ref: tag }),
        DockerPluginError,
      );
      assertEquals(missing.code, "not_found");
    } finally {
      await plugin.call("docker.image.remove", { ref: tag, force: true }).catch(() => {});
      await plugin.dispose();
    }
  },
});

Deno.test({
  name: "a failing build throws with its log tail and leaves no image or container behind",
  ...dockerTest,
  async fn() {
    const plugin = await startInProcess(Ops);
    const tag = `${uniqueName("bad")}:v1`;
    const marker = uniqueName("marker");
    try {
      await withTempDir(async (dir) => {
        await Deno.writeTextFile(
          `${dir}/Dockerfile`,
          `FROM ${BUSYBOX_IMAGE}\nRUN echo ${marker}-step1 > /one\n` +
            `RUN for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; ` +
            `do echo line-$i; done; echo ${marker}-dying >&2; exit 7\n`,
        );
        const error = await assertRejects(
          () => plugin.call("docker.image.build", { context: dir, tag }),
          DockerPluginError,
        );
        assertEquals(error.code, "build_failed");
        assertStringIncludes(error.message, `build of "${tag}" failed`);
        assertStringIncludes(error.message, "returned a non-zero code: 7");
        assertStringIncludes(error.message, `${marker}-dying`);
        assertStringIncludes(error.message, "line-25");
        assert(!error.message.includes("line-1\n"), "only the tail of the log");
        const tail = error.message.split("--- last ")[1].split("\n").slice(1);
        assertEquals(tail.length, 20);
      });
      assertEquals(await plugin.call("docker.image.exists", { ref: tag }), { exists: false });
      // What the build made, as its log names it: step containers and intermediate images.
      const base = (await plugin.call("docker.image.inspect", { ref: BUSYBOX_IMAGE }) as {
        id: string;
      }).id;
      const made = plugin.progress.flatMap((line) => {
        const m = /^ ---> (?:Running in )?([0-9a-f]{12})$/.exec(line);
        return m && !base.startsWith(`sha256:${m[1]}`) ? [m[1]] : [];
      });
      assert(made.length >= 3, `the log names what the build made: ${made}`);
      for (const id of made) {
        const image = await plugin.call("docker.image.exists", { ref: id });
        assertEquals(image, { exists: false }, `image ${id} left behind`);
        const container = await assertRejects(
          () => plugin.call("docker.container.inspect", { id }),
          DockerPluginError,
        );
        assertEquals(container.code, "not_found", `container ${id} left behind`);
      }
    } finally {
      await plugin.call("docker.image.remove", { ref: tag, force: true }).catch(() => {});
      await plugin.dispose();
    }
  },
});

Deno.test({
  name: "a build with a missing context or Dockerfile fails before reaching the engine",
  ...dockerTest,
  async fn() {
    const plugin = await startInProcess(Ops);
    try {
      await withTempDir(async (dir) => {
        const error = await assertRejects(
          () => plugin.call("docker.image.build", { context: dir, tag: uniqueName("none") }),
          DockerPluginError,
        );
        assertEquals(error.code, "invalid_input");
        assertStringIncludes(error.message, `${dir}/Dockerfile does not exist`);
      });
    } finally {
      await plugin.dispose();
    }
  },
});

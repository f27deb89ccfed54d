/**
 * The live view never claims to be current while Docker's event stream is broken: the builtin
 * docker plugin reaches the real engine through a unix-socket relay this test can cut (as an
 * engine restart does); the view stops being live and its container items go, and once the
 * relay is back the watch resubscribes and the view is fed again, with changes made meanwhile.
 */
import { assert, assertEquals } from "@std/assert";
import { join } from "@std/path";
import { openRuntime } from "../core/runtime.ts";
import { Services } from "../core/env/services.ts";
import { envSettings } from "../core/env/settings.ts";
import { EnvironmentView } from "../core/env/view.ts";
import { BUSYBOX_IMAGE, dockerTest } from "./_support/docker_engine.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const ENGINE_SOCKET = (Deno.env.get("DOCKER_HOST") ?? "unix:///var/run/docker.sock")
  .replace(/^unix:\/\//, "");

/** A unix-socket relay to the engine whose connections can all be cut at once. */
function relay(path: string) {
  let listener: Deno.UnixListener | null = null;
  const open = new Set<Deno.Conn>();
  const pipe = async (from: Deno.Conn, to: Deno.Conn) => {
    try {
      await from.readable.pipeTo(to.writable);
    } catch { /* cut */ }
  };
  const serve = async (l: Deno.UnixListener) => {
    for await (const client of l) {
      const engine = await Deno.connect({ transport: "unix", path: ENGINE_SOCKET });
      open.add(client).add(engine);
      void Promise.all([pipe(client, engine), pipe(engine, client)]).finally(() => {
        for (const c of [client, engine]) {
          open.delete(c);
          try {
            c.close();
          } catch { /* closed */ }
        }
      });
    }
  };
  return {
    start() {
      listener = Deno.listen({ transport: "unix", path });
      void serve(listener).catch(() => {});
    },
    cut() {
      listener?.close();
      listener = null;
      Deno.removeSync(path);
      for (const c of open) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      open.clear();
    },
  };
}

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting until ${what}`);
}

async function docker(...args: string[]): Promise<string> {
  const out = await new Deno.Command("docker", { args, stderr: "piped", stdout: "piped" }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test({
  ...dockerTest,
  name: "a broken event stream takes the view off-line until the watch has resubscribed",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "repocate-relay-" });
    const socket = join(dir, "engine.sock");
    const home = join(dir, "home");
    const settings = envSettings({ home, defaultImage: BUSYBOX_IMAGE });
    const link = relay(socket);
    link.start();
    const manifest = JSON.parse(await Deno.readTextFile(join(ROOT, "plugins.json")));
    const plugin = manifest.plugins.find((p: { name: string }) => p.name === "docker");
    const text = JSON.stringify({
      version: 1,
      plugins: [{ ...plugin, config: { host: `unix://${socket}` } }],
    })
      .replaceAll("${DOCKER_SOCKET}", socket).replaceAll("${REPOCATE_HOME}", home)
      .replaceAll('"./plugins/', `"${ROOT}plugins/`);
    await Deno.writeTextFile(join(dir, "plugins.json"), text);
    const runtime = await openRuntime({
      manifestFile: join(dir, "plugins.json"),
      cacheDir: join(dir, "cache"),
      typeCheck: false,
    });
    const name = `relay-${crypto.randomUUID().slice(0, 8)}`;
    const labels = [
      "--label",
      "dev.repocate.managed=true",
      "--label",
      `dev.repocate.name=${name}`,
      "--label",
      `dev.repocate.workspace=${join(settings.workspaces, name)}`,
    ];
    try {
      await Deno.mkdir(join(settings.workspaces, name), { recursive: true });
      await docker("create", "--name", `repocate-${name}`, ...labels, BUSYBOX_IMAGE, "true");
      const view = await EnvironmentView.start(
        new Services(runtime.registry),
        runtime.registry,
        settings,
      );
      assert(view, "the docker plugin's watch started");
      const stateOf = async () => (await view.list()).find((e) => e.name === name)?.state;
      await until("the view is live", () => view.live);
      assertEquals(await stateOf(), "created");

      link.cut();
      await until("the view is off-line", () => !view.live);
      assertEquals(runtime.registry.listItems("container"), [], "no stale container items");
      // Changed while the view cannot see it.
      await docker("rm", "-f", `repocate-${name}`);

      link.start();
      await until("the watch has resubscribed", () => view.live);
      assertEquals(await stateOf(), "missing", "the change made while off-line shows");
      await docker("create", "--name", `repocate-${name}`, ...labels, BUSYBOX_IMAGE, "true");
      await until("events flow again", async () => (await stateOf()) === "created");
    } finally {
      await docker("rm", "-f", `repocate-${name}`).catch(() => {});
      await runtime.close();
      link.cut();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});

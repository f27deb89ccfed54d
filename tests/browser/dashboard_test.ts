/**
 * The dashboard end to end: the real `repocate serve` (through launch.ts, on a sandboxed copy of
 * repocate's manifest, its home in a temporary folder, the CI Docker engine and busybox image,
 * bearer auth on) driven in headless Chromium, the token handed over in the address: create an
 * environment from a local repository through the form, watch its progress stream in, see it
 * running, stop it, see it exited, and see a failed creation's error. Leaves screenshots in
 * tests/browser/artifacts/ (dashboard.png while running, dashboard-stopped.png at the end).
 *
 * @module
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { fromFileUrl, join } from "@std/path";
import { BUSYBOX_IMAGE, SKIP_DOCKER, uniqueName } from "../_support/docker_engine.ts";
import { makeRepo } from "../_support/git_fixtures.ts";
import { sandboxManifest } from "../_support/lifecycle.ts";
import { browserTest, openPage, type Page } from "./_browser.ts";
import { serve, type Served } from "./_serve.ts";

const ARTIFACTS = fromFileUrl(new URL("./artifacts/", import.meta.url));
const DOCKER_HOST = Deno.env.get("DOCKER_HOST") ?? "unix:///run/repocate-ci/docker.sock";

/** Removes what environment `name` left in Docker (container, home volume, built images). */
async function removeFromDocker(name: string): Promise<void> {
  const docker = async (...args: string[]) => {
    const out = await new Deno.Command("docker", { args: ["-H", DOCKER_HOST, ...args] }).output()
      .catch(() => null);
    return out?.success ? new TextDecoder().decode(out.stdout).split("\n").filter(Boolean) : [];
  };
  const ids = await docker("ps", "-aq", "--filter", `label=dev.repocate.name=${name}`);
  if (ids.length) await docker("rm", "-f", "-v", ...ids);
  await docker("volume", "rm", "-f", `repocate-${name}-home`);
  const images = await docker("image", "ls", "-q", `repocate/${name}`);
  if (images.length) await docker("image", "rm", "-f", ...images);
}

/** The user's steps: create through the form, watch it run, stop it, fail a creation. */
async function drive(page: Page, url: string, token: string, repo: string, name: string) {
  await page.goto(`${url}/#token=${token}`);
  await page.locator("[data-testid=plugin-row]").nth(1).waitFor();
  assertEquals(await page.locator("[data-testid=plugin-state]").allTextContents(), [
    "loaded",
    "loaded",
  ]);
  const risky = await page.locator("[data-testid=perm-risk]").allTextContents();
  assert(risky.some((t) => t.startsWith("write") && t.includes("docker.sock")), `${risky}`);
  assert(risky.some((t) => t.startsWith("run git")), `${risky}`);

  await page.getByLabel("Repository URL or path").fill(repo);
  await page.getByLabel("Name (optional)").fill(name);
  await page.getByRole("button", { name: "Create" }).click();
  const progress = page.locator("[data-testid=log-line].progress");
  await progress.first().waitFor({ timeout: 120_000 });
  const row = page.locator(`[data-testid=env-row][data-name="${name}"]`);
  const state = row.locator("[data-testid=env-state]");
  await state.filter({ hasText: /^running$/ }).waitFor({ timeout: 180_000 });
  await page.locator("[data-testid=log-line].done").waitFor({ timeout: 30_000 });
  assert(await progress.count() >= 2, "several progress lines were shown");
  assertStringIncludes(await row.textContent() ?? "", BUSYBOX_IMAGE);
  await page.screenshot({ path: join(ARTIFACTS, "dashboard.png"), fullPage: true });

  await page.getByRole("button", { name: `Stop ${name}` }).click();
  await state.filter({ hasText: /^exited$/ }).waitFor({ timeout: 60_000 });
  assert(await page.getByRole("button", { name: `Start ${name}` }).isVisible());

  await page.getByLabel("Repository URL or path").fill(`${repo}-absent`);
  await page.getByLabel("Name (optional)").fill(`${name}-x`);
  await page.getByRole("button", { name: "Create" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor({ timeout: 60_000 });
  assertStringIncludes(await alert.textContent() ?? "", `create ${name}-x failed`);
  await page.screenshot({ path: join(ARTIFACTS, "dashboard-stopped.png"), fullPage: true });
}

Deno.test({
  name: "the dashboard creates an environment, streams its progress, and stops it",
  ...browserTest,
  ignore: browserTest.ignore || SKIP_DOCKER,
  async fn() {
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const browser = await openPage();
    const pageErrors: string[] = [];
    browser.page.on("pageerror", (e) => pageErrors.push(String(e)));
    const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "repocate-ui-" }));
    const home = join(dir, "home");
    const name = uniqueName("ui");
    let server: Served | undefined;
    let token = "";
    try {
      const repo = await makeRepo(join(dir, "repos", "app"), { "README.md": "# app\n" });
      const tokenFile = join(dir, "token");
      server = await serve(await sandboxManifest(dir, home), {
        REPOCATE_HOME: home,
        REPOCATE_DEFAULT_IMAGE: BUSYBOX_IMAGE,
        REPOCATE_CACHE_DIR: join(dir, "cache"),
        DOCKER_HOST,
      }, ["--token-file", tokenFile]);
      token = (await Deno.readTextFile(tokenFile)).trim();
      await drive(browser.page, server.url, token, repo, name);
      assertEquals(pageErrors, []);
    } catch (error) {
      await browser.page.screenshot({ path: join(ARTIFACTS, "failure.png"), fullPage: true })
        .catch(() => {});
      const log = server ? `\n--- repocate serve stderr ---\n${server.log()}` : "";
      throw new Error(`${error}${log}`, { cause: error });
    } finally {
      await browser.close();
      if (server) {
        await fetch(`${server.url}/v1/environments/${name}?purge=true`, {
          method: "DELETE",
          headers: { Authorization: `Bearer ${token}` },
        }).then((r) => r.body?.cancel()).catch(() => {});
        await server.stop();
      }
      await removeFromDocker(name);
      await removeFromDocker(`${name}-x`);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});

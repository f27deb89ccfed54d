/**
 * The dashboard against tests/browser/_mock_server.ts, for what the real server makes hard to
 * reach: a required token taken from the address, a plugin that failed to load, risky grants,
 * a failed creation's error, and removal through the confirmation dialog.
 *
 * @module
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { browserTest, openPage } from "./_browser.ts";
import { startMockServer } from "./_mock_server.ts";

Deno.test({
  name: "the dashboard takes its token from the address, marks risky grants and shows failures",
  ...browserTest,
  async fn() {
    const browser = await openPage();
    const { page } = browser;
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const mock = await startMockServer(0, "s3cret");
    try {
      await page.goto(`${mock.url}/#token=s3cret`);
      assertEquals(new URL(page.url()).hash, "", "the token leaves the address bar");
      const plugins = page.locator("[data-testid=plugin-row]");
      await plugins.nth(1).waitFor();
      assertEquals(await plugins.count(), 2);
      const broken = page.locator("[data-testid=plugin-row][data-name=broken]");
      assertEquals(await broken.locator("[data-testid=plugin-state]").textContent(), "failed");
      assertStringIncludes(
        await broken.locator("[data-testid=plugin-error]").textContent() ?? "",
        "initialize threw: no config",
      );
      const risky = await page.locator("[data-testid=perm-risk]").allTextContents();
      assertEquals(risky.map((t) => t.split(" ")[0]), ["write", "read", "ffi"]);
      await page.locator("[data-testid=env-empty]").waitFor();

      await page.getByLabel("Repository URL or path").fill("/srv/missing-repo");
      await page.getByRole("button", { name: "Create" }).click();
      const alert = page.getByRole("alert");
      await alert.waitFor();
      assertStringIncludes(
        await alert.textContent() ?? "",
        "git clone /srv/missing-repo: not found",
      );

      await page.getByLabel("Repository URL or path").fill("https://example.org/team/web.git");
      await page.getByRole("button", { name: "Create" }).click();
      const row = page.locator("[data-testid=env-row][data-name=web]");
      await row.locator("[data-testid=env-state]", { hasText: "running" }).waitFor();
      assertEquals(
        await row.locator("[data-testid=env-port]").getAttribute("href"),
        "http://127.0.0.1:49153",
      );
      await page.locator("[data-testid=log-line].done").waitFor();

      await page.getByRole("button", { name: "Remove web" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
      await page.locator("[data-testid=env-empty]").waitFor();
      assert(!await row.count(), "the removed row is gone");
      assertEquals(errors, []);
    } finally {
      await browser.close();
      await mock.close();
    }
  },
});

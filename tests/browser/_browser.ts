/**
 * Headless Chromium for browser tests, driven by playwright-core: Debian's `chromium` at
 * /usr/bin/chromium (`bash .ci/browser.sh` installs it), a fresh profile per launch, no
 * network services of its own (no sync, updates, QUIC or background fetches).
 *
 * Needs: `run` for chromium, `read`/`write` of a temporary profile folder, `env`, `sys`.
 *
 * @module
 */
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Where Debian's package puts Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

/** The flags every launch uses. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Options for a `Deno.test` that needs Chromium: ignored only where it is absent and `CI` is
 * not `true`. In CI the test runs, and fails loudly if `.ci/browser.sh` was not run.
 */
export const browserTest = {
  ignore: !exists(CHROMIUM) && Deno.env.get("CI") !== "true",
} as const;

export type { Page };

/** A page in a fresh Chromium profile; `close` ends the browser and removes the profile. */
export interface BrowserPage {
  page: Page;
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile and opens one page (1280×900). */
export async function openPage(): Promise<BrowserPage> {
  if (!exists(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run \`bash .ci/browser.sh\` (as root) first`);
  }
  const profile = await Deno.makeTempDir({ prefix: "repocate-chromium-" });
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    const page = context.pages()[0] ?? await context.newPage();
    return {
      page,
      context,
      async close() {
        await context.close().catch(() => {});
        await Deno.remove(profile, { recursive: true }).catch(() => {});
      },
    };
  } catch (error) {
    await Deno.remove(profile, { recursive: true }).catch(() => {});
    throw error;
  }
}

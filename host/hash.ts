/**
 * SHA-256 helpers in the `sha256-<hex>` form the lock uses.
 *
 * @module
 */

/** `sha256-<hex>` of `data`. */
export async function sha256(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return "sha256-" + Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** The integrity of a module graph: `sha256` over its sorted `url hash` lines. */
export function graphIntegrity(modules: Record<string, string>): Promise<string> {
  const lines = Object.keys(modules).sort().map((url) => `${url} ${modules[url]}\n`);
  return sha256(lines.join(""));
}

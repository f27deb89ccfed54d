/**
 * Resolves a manifest `source` string into a local path or a remote URL. Pure: no I/O.
 *
 * @module
 */
import { isAbsolute, resolve, toFileUrl } from "@std/path";
import { fromFileUrl } from "@std/path";
import type { PluginSource } from "./types.ts";

/** Whether `hostname` (from a URL) is a loopback address or `localhost`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** `text` quoted for a one-line message: JSON escapes, at most 200 characters. */
function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

/**
 * Resolves `text` against the manifest's folder. Throws `TypeError` with the reason when the
 * text is neither a path, a `file:` URL, an `https:` URL nor an `http:` URL of a loopback host.
 */
export function resolveSource(text: string, baseDir: string): PluginSource {
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[a-z]:[\\/]/i.test(text)) {
    const shown = quote(text);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new TypeError(`${shown} is not a valid URL`);
    }
    if (url.username || url.password) {
      const where = `${url.protocol}//${url.host}${url.pathname}`;
      throw new TypeError(`${where.slice(0, 200)} must not carry credentials`);
    }
    switch (url.protocol) {
      case "https:":
        return { kind: "remote", url: url.href };
      case "http:":
        if (!isLoopbackHost(url.hostname)) {
          throw new TypeError(
            `${shown} uses http: for a non-loopback host; use https: (http: is allowed only for 127.0.0.1, ::1 and localhost)`,
          );
        }
        return { kind: "remote", url: url.href };
      case "file:": {
        let path: string;
        try {
          path = fromFileUrl(url);
        } catch (error) {
          // e.g. malformed percent-encoding (a URIError) or a host other than localhost.
          throw new TypeError(`${shown} is not a usable file URL: ${(error as Error).message}`);
        }
        return { kind: "local", path, url: url.href };
      }
      default: {
        const scheme = url.protocol.slice(0, 40);
        throw new TypeError(
          `${shown} has unsupported scheme ${scheme} (use a path, https: or loopback http:)`,
        );
      }
    }
  }
  const path = isAbsolute(text) ? resolve(text) : resolve(baseDir, text);
  return { kind: "local", path, url: toFileUrl(path).href };
}

/**
 * `.dockerignore` patterns, matched the way Docker's patternmatcher does. Pure.
 *
 * - One pattern a line; blank lines and lines starting with `#` are skipped; `!` re-includes.
 * - Patterns are relative to the context root and cleaned (`./a/` is `a`, a leading `/` is
 *   dropped); unlike `.gitignore` a pattern without `/` matches at the root only (`*.log`
 *   matches `x.log`, not `sub/x.log`; write `**\/*.log` for that).
 * - `*` and `?` stay within one path segment, `**` spans any number of segments, `[...]` is a
 *   character class, `\` escapes the next character.
 * - A pattern matching a folder matches everything below it; the last matching pattern wins.
 *
 * Limits: Go's `[^...]` and `[!...]` classes and escapes inside classes are passed to the
 * JavaScript regular expression as written.
 *
 * @module
 */

/** One compiled pattern. */
export interface IgnorePattern {
  /** The cleaned pattern text, without `!`. */
  text: string;
  /** A `!` pattern: re-includes what it matches. */
  exclusion: boolean;
  /** The compiled matcher. */
  regex: RegExp;
}

/** Like Go's `path.Clean` for relative paths: drops `.` and empty segments, folds `..`. */
function clean(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(part);
  }
  return out.join("/") || ".";
}

function compile(pattern: string): RegExp {
  let out = "^";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        if (i + 1 >= pattern.length) out += ".*";
        else {
          out += "(.*/)?";
          if (pattern[i + 1] === "/") i++;
        }
      } else out += "[^/]*";
    } else if (ch === "?") out += "[^/]";
    else if (ch === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        out += pattern.slice(i, end + 1);
        i = end;
      }
    } else if (ch === "\\" && i + 1 < pattern.length) {
      out += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    } else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(out + "$");
}

/** Parses `.dockerignore` text into patterns. */
export function parseDockerignore(text: string): IgnorePattern[] {
  const patterns: IgnorePattern[] = [];
  for (const line of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    let pattern = line.trim();
    if (pattern === "" || pattern.startsWith("#")) continue;
    const exclusion = pattern.startsWith("!");
    if (exclusion) pattern = pattern.slice(1).trim();
    if (pattern === "") continue;
    pattern = clean(pattern);
    try {
      patterns.push({ text: pattern, exclusion, regex: compile(pattern) });
    } catch {
      // an unusable class such as "[z-a]": Docker fails the build, we match nothing
    }
  }
  return patterns;
}

/**
 * Whether `path` (relative to the context root, `/`-separated) is ignored: the last pattern
 * matching it or one of its parent folders decides.
 */
export function isIgnored(path: string, patterns: readonly IgnorePattern[]): boolean {
  const parts = path.split("/");
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  let ignored = false;
  for (const pattern of patterns) {
    if (ignored === !pattern.exclusion) continue;
    if (prefixes.some((prefix) => pattern.regex.test(prefix))) ignored = !pattern.exclusion;
  }
  return ignored;
}

/** Whether any pattern re-includes (`!`), so an ignored folder must still be walked. */
export function hasExclusions(patterns: readonly IgnorePattern[]): boolean {
  return patterns.some((pattern) => pattern.exclusion);
}

/**
 * JSON with comments and trailing commas (JSONC), the format of devcontainer.json, parsed with
 * Microsoft's `jsonc-parser` (the parser devcontainers/cli and VS Code use). Pure: no I/O.
 *
 * @module
 */
import { parse, type ParseError, printParseErrorCode } from "jsonc-parser";
import { RepocateError } from "../../errors.ts";

/** The 1-based line and column of `offset` in `text` (columns count UTF-16 code units). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Deepest nesting accepted; what reads the value afterwards recurses over it. */
export const MAX_DEPTH = 256;

/** Whether `value` nests objects or arrays more than `max` deep (no recursion). */
function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** `CommaExpected` -> `comma expected`. */
function describe(error: ParseError): string {
  return printParseErrorCode(error.error).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

/**
 * Parses JSONC `text` read from `file`: `//` and `/* *\/` comments and trailing commas are
 * allowed, a leading byte-order mark is skipped, a repeated key keeps its last value. Throws an
 * `INPUT_INVALID` {@link RepocateError} `<file>:<line>:<column>: not valid JSONC: <what>` at the
 * first fault, and when the value nests more than {@link MAX_DEPTH} levels deep.
 */
export function parseJsonc(text: string, file: string): unknown {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const errors: ParseError[] = [];
  const tooDeep = () =>
    new RepocateError(
      "INPUT_INVALID",
      `${file}: not valid JSONC: nested more than ${MAX_DEPTH} levels deep`,
    );
  let value: unknown;
  try {
    value = parse(body, errors, {
      allowTrailingComma: true,
      disallowComments: false,
      allowEmptyContent: false,
    });
  } catch (error) {
    // jsonc-parser recurses per level: thousands of levels overflow the stack.
    if (error instanceof RangeError) throw tooDeep();
    throw error;
  }
  if (errors.length > 0) {
    const first = errors[0];
    const { line, column } = lineColumn(body, first.offset);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    throw new RepocateError(
      "INPUT_INVALID",
      `${file}:${line}:${column}: not valid JSONC: ${describe(first)}${more}`,
    );
  }
  if (deeperThan(value, MAX_DEPTH)) throw tooDeep();
  return value;
}

/**
 * Splits a byte stream into text lines: how process-isolated plugins and their host read each
 * other's JSON messages.
 *
 * @module
 */

/** The longest line accepted (bytes of text); a longer one ends the stream with an error. */
export const MAX_LINE = 64 * 1024 * 1024;

/** Yields each `\n`-terminated line of `stream` without its terminator; empty lines are skipped. */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
  maxLine = MAX_LINE,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of stream) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (line) yield line;
    }
    if (buffered.length > maxLine) throw new RangeError(`a line longer than ${maxLine} bytes`);
  }
  buffered += decoder.decode();
  if (buffered) yield buffered;
}

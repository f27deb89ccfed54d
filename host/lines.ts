/**
 * JSON messages, one per line, over byte streams: how process-isolated plugins and their host
 * talk. {@link readLines} splits what comes in; {@link jsonLineWriter} writes what goes out.
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

/** Writes messages to a stream as JSON lines, in order. */
export interface JsonLineWriter {
  /** Queues `message` as one line. */
  write(message: unknown): void;
  /** Settles once every queued line is written (or writing failed). */
  flushed(): Promise<void>;
}

/** A {@link JsonLineWriter} on `stream`; `onError` runs when a write fails (later ones are lost). */
export function jsonLineWriter(
  stream: WritableStream<Uint8Array>,
  onError: () => void,
): JsonLineWriter {
  const writer = stream.getWriter();
  const encoder = new TextEncoder();
  let queue: Promise<void> = Promise.resolve();
  return {
    write(message) {
      const line = encoder.encode(JSON.stringify(message) + "\n");
      queue = queue.then(() => writer.write(line)).catch(onError);
    },
    flushed: () => queue,
  };
}

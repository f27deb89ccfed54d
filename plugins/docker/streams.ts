/**
 * Pure helpers for Docker's byte streams: splitting a build log into lines, and separating the
 * stdout and stderr frames of a multiplexed (non-TTY) attach or logs stream.
 *
 * @module
 */

/** Collects text chunks and hands out complete lines, keeping the last `keep` lines. */
export class LineSplitter {
  #partial = "";
  #tail: string[] = [];
  readonly #keep: number;
  readonly #onLine: (line: string) => void;

  /** Calls `onLine` for each complete line; remembers the last `keep` lines. */
  constructor(onLine: (line: string) => void, keep = 20) {
    this.#onLine = onLine;
    this.#keep = keep;
  }

  /** Adds a chunk; emits every line it completes (without its `\n`; `\r\n` counts as one). */
  push(chunk: string): void {
    const parts = (this.#partial + chunk).split("\n");
    this.#partial = parts.pop() ?? "";
    for (const part of parts) this.#emit(part.replace(/\r$/, ""));
  }

  /** Emits what is left as a last line, if anything. */
  flush(): void {
    if (this.#partial !== "") this.#emit(this.#partial.replace(/\r$/, ""));
    this.#partial = "";
  }

  /** The last lines seen (at most `keep`), oldest first. */
  get tail(): string[] {
    return [...this.#tail];
  }

  #emit(line: string): void {
    this.#tail.push(line);
    if (this.#tail.length > this.#keep) this.#tail.shift();
    this.#onLine(line);
  }
}

/** Output of a multiplexed stream, split by stream. */
export type Demuxed = {
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
};

/**
 * Splits Docker's multiplexed stream format (8-byte frame headers: stream id, 3 zero bytes,
 * big-endian length) into stdout and stderr. Input that does not start with a valid header is
 * taken as raw TTY output, all stdout. A truncated last frame keeps what it has.
 */
export function demuxBuffer(data: Uint8Array): Demuxed {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  if (!looksMultiplexed(data)) return { stdout: decode([data]), stderr: "" };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at + 8 <= data.length) {
    const stream = data[at];
    const size = view.getUint32(at + 4);
    const frame = data.subarray(at + 8, Math.min(at + 8 + size, data.length));
    (stream === 2 ? err : out).push(frame);
    at += 8 + size;
  }
  return { stdout: decode(out), stderr: decode(err) };
}

function looksMultiplexed(data: Uint8Array): boolean {
  if (data.length === 0) return true;
  return data.length >= 8 && data[0] <= 2 && data[1] === 0 && data[2] === 0 && data[3] === 0;
}

function decode(chunks: Uint8Array[]): string {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}

/**
 * The module a process-isolated plugin starts from (`isolation: "process"`): the plugin side of
 * the protocol over standard input and output, one JSON message per line. The process holds
 * exactly the plugin's grants as `deno run` flags; its console goes to the host as log messages,
 * so stdout carries nothing but the protocol.
 *
 * @module
 */
import type { HostMessage, WorkerMessage } from "../protocol/messages.ts";
import { servePlugin } from "./plugin_side.ts";
import { readLines } from "./lines.ts";

// What a plugin sees of a Worker's global scope: `self.name` is "plugin:<name>".
(globalThis as unknown as { name?: string }).name = Deno.args[0];

const encoder = new TextEncoder();
const stdout = Deno.stdout.writable.getWriter();
let writing: Promise<void> = Promise.resolve();

servePlugin({
  post: (message: WorkerMessage) => {
    const line = encoder.encode(JSON.stringify(message) + "\n");
    writing = writing.then(() => stdout.write(line)).catch(() => Deno.exit(1));
  },
  listen: (handler) => {
    void (async () => {
      for await (const line of readLines(Deno.stdin.readable)) {
        handler(JSON.parse(line) as HostMessage);
      }
      // The host closed our input: it is gone or done with us.
      Deno.exit(0);
    })();
  },
  close: () => void writing.then(() => Deno.exit(1)),
});

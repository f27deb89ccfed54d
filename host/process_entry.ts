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
import { jsonLineWriter, readLines } from "./lines.ts";

// What a plugin sees of a Worker's global scope: `self.name` is "plugin:<name>".
(globalThis as unknown as { name?: string }).name = Deno.args[0];

// Output that cannot be written means the host is gone.
const out = jsonLineWriter(Deno.stdout.writable, () => Deno.exit(1));

servePlugin({
  post: (message: WorkerMessage) => out.write(message),
  listen: (handler) => {
    void (async () => {
      for await (const line of readLines(Deno.stdin.readable)) {
        handler(JSON.parse(line) as HostMessage);
      }
      // The host closed our input: it is gone or done with us.
      Deno.exit(0);
    })();
  },
  close: () => void out.flushed().then(() => Deno.exit(1)),
});

/**
 * The module a plain plugin Worker starts from: the plugin side of the protocol
 * (`plugin_side.ts`) over the Worker's own message channel.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { HostMessage } from "../protocol/messages.ts";
import { servePlugin } from "./plugin_side.ts";

servePlugin({
  post: (message) => self.postMessage(message),
  listen: (handler) => {
    self.onmessage = (event: MessageEvent<HostMessage>) => handler(event.data);
  },
  close: () => self.close(),
});

/**
 * An example repocate plugin to copy: one item, two actions, config, logging and progress.
 * Needs no permissions at all. Add it with
 * `deno task start plugins add ./examples/hello/mod.ts`.
 *
 * @module
 */
import type { JsonValue, Operation, PluginContext } from "../../interfaces.ts";

let greeting = "Hello";

/** The plugin: repocate imports this `Ops` and checks it against `Operation`. */
export const Ops: Operation = {
  name: "hello",
  version: "1.0.0",
  apiVersion: "1.0",

  initialize(ctx: PluginContext) {
    if (typeof ctx.config.greeting === "string") greeting = ctx.config.greeting;
    ctx.log.debug(`hello ready, greeting "${greeting}"`);
  },

  registerWithRegistry(registry) {
    registry.registerItem({ kind: "example", name: "hello", metadata: { greeting } });
    registry.registerAction({
      name: "hello.greet",
      description: "Greets someone by name",
      inputSchema: {
        type: "object",
        properties: { name: { type: "string", minLength: 1, maxLength: 100 } },
        required: ["name"],
        additionalProperties: false,
      },
      handler(input) {
        const { name } = input as { name: string };
        return `${greeting}, ${name}!`;
      },
    });
    registry.registerAction({
      name: "hello.count",
      description: "Counts to n, reporting progress at each step",
      inputSchema: {
        type: "object",
        properties: { n: { type: "integer", minimum: 1, maximum: 100 } },
        required: ["n"],
        additionalProperties: false,
      },
      handler(input, ctx) {
        const { n } = input as { n: number };
        const seen: JsonValue[] = [];
        for (let i = 1; i <= n; i++) {
          ctx.progress(`${i} of ${n}`);
          seen.push(i);
        }
        return seen;
      },
    });
  },
};

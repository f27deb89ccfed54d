/**
 * For the HTTP layer's tests: a runtime whose only real part is `registry` (no manifest file,
 * no plugins loaded), enough for `createApp`.
 *
 * @module
 */
import type { Registry } from "../registry/mod.ts";
import type { Runtime } from "../core/runtime.ts";

/** A runtime over `registry`, with an empty manifest and no plugin host behind it. */
export function runtimeOver(registry: Registry): Runtime {
  return {
    manifest: { file: "/nowhere/plugins.json", plugins: [] },
    registry,
    host: { list: () => [], get: () => undefined },
    options: { manifestFile: "/nowhere/plugins.json" },
  } as unknown as Runtime;
}

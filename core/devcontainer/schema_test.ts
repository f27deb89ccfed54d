import { assert, assertEquals } from "@std/assert";
import {
  devcontainerSchema,
  EDITOR_ONLY_KEYS,
  HONOURED_KEYS,
  unhonouredKeyWarnings,
  UNSUPPORTED_KEYS,
} from "./schema.ts";

Deno.test("the key catalogues do not overlap", () => {
  for (const key of Object.keys(UNSUPPORTED_KEYS)) {
    assert(!HONOURED_KEYS.has(key) && !EDITOR_ONLY_KEYS.has(key), key);
  }
  for (const key of EDITOR_ONLY_KEYS) assert(!HONOURED_KEYS.has(key), key);
});

Deno.test("the schema keeps unknown keys so they can be warned about", () => {
  const parsed = devcontainerSchema.parse({ image: "x", extra: 1, build: { more: 2 } });
  assertEquals(parsed, { image: "x", extra: 1, build: { more: 2 } });
});

Deno.test("unsupported properties are not type-checked, only warned about", () => {
  const data = { image: "x", features: [], initializeCommand: 5, hostRequirements: "big" };
  const config = devcontainerSchema.parse(data);
  assertEquals(unhonouredKeyWarnings(data, config), [
    "features: dev container features are not supported; they are not installed",
    "initializeCommand: runs on the host; not supported, not run",
    "hostRequirements: not checked",
  ]);
});

Deno.test("an empty features object is named as such", () => {
  const data = { image: "x", features: {} };
  assertEquals(unhonouredKeyWarnings(data, devcontainerSchema.parse(data)), [
    "features: dev container features are not supported; they are not installed (none)",
  ]);
});

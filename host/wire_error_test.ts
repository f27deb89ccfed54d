import { assertEquals } from "@std/assert";
import { RepocateError } from "../errors.ts";
import { permissionMessage, toWireError } from "./wire_error.ts";

Deno.test("a NotCapable error becomes PERMISSION_DENIED naming the manifest key to grant", () => {
  const error = new Deno.errors.NotCapable(
    'Requires read access to "/etc/passwd", run again with the --allow-read flag',
  );
  assertEquals(toWireError(error), {
    code: "PERMISSION_DENIED",
    message:
      'permission denied: Requires read access to "/etc/passwd" (not granted by plugins.json: permissions.read)',
  });
});

Deno.test("permissionMessage drops deno's --allow flag advice", () => {
  assertEquals(
    permissionMessage(
      'Requires net access to "x.example:443", run again with the --allow-net flag',
    ),
    'permission denied: Requires net access to "x.example:443" (not granted by plugins.json: permissions.net)',
  );
  assertEquals(
    permissionMessage("operation not permitted"),
    "permission denied: operation not permitted",
  );
});

Deno.test("a PermissionDenied error also becomes PERMISSION_DENIED", () => {
  const error = new Deno.errors.PermissionDenied("operation not permitted");
  assertEquals(toWireError(error), {
    code: "PERMISSION_DENIED",
    message: "permission denied: operation not permitted",
  });
});

Deno.test("a real permission failure inside a Worker without grants becomes PERMISSION_DENIED", async () => {
  const source = `try { Deno.readTextFileSync("/etc/hostname"); self.postMessage(null); }
    catch (e) { self.postMessage({ name: e.name, message: e.message }); }`;
  const url = `data:application/javascript,${encodeURIComponent(source)}`;
  const worker = new Worker(url, {
    type: "module",
    deno: {
      permissions: {
        read: false,
        write: false,
        net: false,
        env: false,
        run: false,
        sys: false,
        ffi: false,
        import: false,
      },
    },
  });
  try {
    const thrown = await new Promise<{ name: string; message: string }>((resolve) => {
      worker.onmessage = (event) => resolve(event.data);
    });
    assertEquals(thrown.name, "NotCapable");
    const error = Object.assign(new Error(thrown.message), { name: thrown.name });
    const wire = toWireError(error);
    assertEquals(wire.code, "PERMISSION_DENIED");
    assertEquals(
      wire.message,
      'permission denied: Requires read access to "/etc/hostname" ' +
        "(not granted by plugins.json: permissions.read)",
    );
  } finally {
    worker.terminate();
  }
});

Deno.test("a RepocateError keeps its code on the wire", () => {
  assertEquals(toWireError(new RepocateError("NAME_CONFLICT", "taken")), {
    code: "NAME_CONFLICT",
    message: "taken",
  });
});

Deno.test("an error with its own well-formed code keeps it", () => {
  const error = Object.assign(new Error("no such image"), { code: "IMAGE_NOT_FOUND" });
  assertEquals(toWireError(error), { code: "IMAGE_NOT_FOUND", message: "no such image" });
});

Deno.test("an error with a malformed or non-string code becomes ACTION_FAILED", () => {
  for (
    const code of ["lower_case", "X", "1STARTS_WITH_DIGIT", "HAS-DASH", 404, null, "A".repeat(42)]
  ) {
    const error = Object.assign(new Error("boom"), { code });
    assertEquals(toWireError(error), { code: "ACTION_FAILED", message: "boom" }, String(code));
  }
});

Deno.test("a plain error becomes ACTION_FAILED with its message", () => {
  assertEquals(toWireError(new TypeError("bad input")), {
    code: "ACTION_FAILED",
    message: "bad input",
  });
});

Deno.test("a multi-line message is folded to one line", () => {
  const error = new Error("first line\n  second line  \r\n\n\tthird line\n");
  assertEquals(toWireError(error).message, "first line second line third line");
});

Deno.test("a very long message is cut to 4000 characters", () => {
  assertEquals(toWireError(new Error("x".repeat(5000))).message.length, 4000);
});

Deno.test("an empty message becomes 'unknown error'", () => {
  assertEquals(toWireError(new Error("")), { code: "ACTION_FAILED", message: "unknown error" });
  assertEquals(toWireError(new Error(" \n ")).message, "unknown error");
});

Deno.test("thrown values that are not errors become ACTION_FAILED with their text", () => {
  assertEquals(toWireError("plain string"), { code: "ACTION_FAILED", message: "plain string" });
  assertEquals(toWireError(42), { code: "ACTION_FAILED", message: "42" });
  assertEquals(toWireError(undefined), { code: "ACTION_FAILED", message: "undefined" });
  assertEquals(toWireError(null), { code: "ACTION_FAILED", message: "null" });
  assertEquals(toWireError("two\nlines"), { code: "ACTION_FAILED", message: "two lines" });
});

Deno.test("a non-error object's code is not trusted", () => {
  const thrown = { code: "PERMISSION_DENIED", message: "fake" };
  assertEquals(toWireError(thrown).code, "ACTION_FAILED");
});

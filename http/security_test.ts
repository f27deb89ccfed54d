import { assert, assertEquals } from "@std/assert";
import { hostName, isLoopback, isOpenPath, sameSecret, secretMatcher } from "./security.ts";

Deno.test("loopback addresses are told from the rest", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) {
    assert(isLoopback(host), host);
  }
  for (const host of ["0.0.0.0", "::", "192.168.1.5", "example.org"]) {
    assert(!isLoopback(host), host);
  }
});

Deno.test("the host part of a Host header drops the port and keeps IPv6 brackets", () => {
  assertEquals(hostName("LocalHost:8420"), "localhost");
  assertEquals(hostName("[::1]:8420"), "[::1]");
  assertEquals(hostName("127.0.0.1"), "127.0.0.1");
});

Deno.test("secrets compare equal only when identical, whatever their lengths", () => {
  assert(sameSecret("abc", "abc"));
  assert(!sameSecret("abc", "abd"));
  assert(!sameSecret("abc", "abcd"));
  assert(!sameSecret("abcd", "abc"));
  assert(!sameSecret("abcabc", "abc"), "a repeated secret is not the secret");
  assert(!sameSecret("", "a"));
  assert(!sameSecret("a", ""));
  assert(sameSecret("", ""));
  const matches = secretMatcher("t0k3n-t0k3n-t0k3n-t0k3n");
  assert(matches("t0k3n-t0k3n-t0k3n-t0k3n"));
  assert(!matches("t0k3n-t0k3n-t0k3n-t0k3N"));
  assert(!matches("t0k3n"));
});

Deno.test("only /healthz and the static UI are open without a token", () => {
  assert(isOpenPath("GET", "/healthz"));
  assert(isOpenPath("GET", "/"));
  assert(isOpenPath("HEAD", "/ui/app.js"));
  assert(!isOpenPath("POST", "/"));
  assert(!isOpenPath("GET", "/metrics"));
  assert(!isOpenPath("GET", "/v1/plugins"));
  assert(!isOpenPath("GET", "/uix"));
});

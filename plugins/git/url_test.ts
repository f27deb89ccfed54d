import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
import { GitError } from "./errors.ts";
import { isSafeName, nameFor, parseRepoUrl, shortHash } from "./url.ts";

Deno.test("parses https URLs with and without .git", () => {
  assertEquals(parseRepoUrl("https://github.com/Owner/Repo.git"), {
    kind: "https",
    url: "https://github.com/Owner/Repo.git",
    host: "github.com",
    path: "/Owner/Repo.git",
    baseName: "repo",
    suggestedName: "repo",
  });
  const plain = parseRepoUrl("https://GitHub.com/owner/my-repo/");
  assertEquals(plain.url, "https://github.com/owner/my-repo");
  assertEquals(plain.baseName, "my-repo");
  assertEquals(parseRepoUrl("https://host:8443/a/b/c.git").url, "https://host:8443/a/b/c.git");
  assertEquals(parseRepoUrl("https://host:443/a/b").url, "https://host/a/b");
  assertEquals(parseRepoUrl("https://git@host/a/b").url, "https://git@host/a/b");
});

Deno.test("parses http URLs, including IP hosts", () => {
  const parsed = parseRepoUrl("http://127.0.0.1:8080/repos/thing.git");
  assertEquals(parsed.kind, "http");
  assertEquals(parsed.host, "127.0.0.1");
  assertEquals(parsed.url, "http://127.0.0.1:8080/repos/thing.git");
  assertEquals(parsed.baseName, "thing");
  assertEquals(parseRepoUrl("http://[::1]:9000/x/y.git").host, "[::1]");
});

Deno.test("parses ssh URLs with user and port", () => {
  assertEquals(parseRepoUrl("ssh://git@example.com:2222/owner/repo.git"), {
    kind: "ssh",
    url: "ssh://git@example.com:2222/owner/repo.git",
    host: "example.com",
    path: "/owner/repo.git",
    baseName: "repo",
    suggestedName: "repo",
  });
  assertEquals(
    parseRepoUrl("ssh://Example.COM/srv/git/proj").url,
    "ssh://example.com/srv/git/proj",
  );
  assertEquals(parseRepoUrl("git+ssh://git@h/o/r.git").url, "ssh://git@h/o/r.git");
  assertEquals(parseRepoUrl("ssh://git@h/~user/r.git").baseName, "r");
  assertEquals(parseRepoUrl("ssh://git@[fe80::1]:22/r.git").host, "[fe80::1]");
});

Deno.test("parses scp-style references", () => {
  assertEquals(parseRepoUrl("git@github.com:owner/repo.git"), {
    kind: "scp",
    url: "git@github.com:owner/repo.git",
    host: "github.com",
    path: "owner/repo.git",
    baseName: "repo",
    suggestedName: "repo",
  });
  assertEquals(parseRepoUrl("host:repo").url, "host:repo");
  assertEquals(parseRepoUrl("me@host:/abs/path/proj.git/").url, "me@host:/abs/path/proj.git");
  assertEquals(parseRepoUrl("git@[::1]:r.git").host, "[::1]");
});

Deno.test("parses file URLs and absolute paths into file:// URLs", () => {
  assertEquals(parseRepoUrl("file:///srv/repos/Thing.git"), {
    kind: "file",
    url: "file:///srv/repos/Thing.git",
    path: "/srv/repos/Thing.git",
    baseName: "thing",
    suggestedName: "thing",
  });
  assertEquals(parseRepoUrl("file://localhost/srv/x").path, "/srv/x");
  assertEquals(parseRepoUrl("/srv//repos/./a/../b/").path, "/srv/repos/b");
  const spaced = parseRepoUrl("/home/me/My Repos/Project X");
  assertEquals(spaced.url, "file:///home/me/My%20Repos/Project%20X");
  assertEquals(spaced.baseName, "project-x");
  assertEquals(parseRepoUrl("file:///home/me/My%20Repos/p").path, "/home/me/My Repos/p");
  assertEquals(parseRepoUrl("/tmp/a#b?c").url, "file:///tmp/a%23b%3Fc");
});

Deno.test("resolves relative paths against cwd and needs one", () => {
  assertEquals(parseRepoUrl("./proj", { cwd: "/work/here" }).path, "/work/here/proj");
  assertEquals(parseRepoUrl("../other.git", { cwd: "/work/here" }).path, "/work/other.git");
  assertEquals(parseRepoUrl(".", { cwd: "/work/here" }).baseName, "here");
  assertThrows(() => parseRepoUrl("./proj"), GitError, "needs a cwd");
  assertThrows(() => parseRepoUrl("./proj", { cwd: "rel" }), GitError, "not absolute");
  assertThrows(() => parseRepoUrl("../..", { cwd: "/a" }), GitError, "root directory");
});

Deno.test("derives lowercase docker-safe names", () => {
  const cases: [string, string][] = [
    ["https://h/o/My_Repo.GIT", "my_repo"],
    ["https://h/o/r%C3%A9po", "r-po"],
    ["https://h/o/..hidden", "hidden"],
    ["https://h/o/repo.js", "repo.js"],
    ["https://h/o/Weird%20Name!!", "weird-name"],
    ["https://h/o/-dash", "dash"],
    [`https://h/o/${"a".repeat(100)}`, "a".repeat(48)],
  ];
  for (const [url, name] of cases) {
    const parsed = parseRepoUrl(url);
    assertEquals(parsed.baseName, name, url);
    assert(isSafeName(parsed.baseName), url);
  }
});

Deno.test("refuses bad input with a one-line error naming it", () => {
  const cases: [string, string][] = [
    ["", "empty"],
    ["   ", "only whitespace"],
    [" https://h/o/r", "leading or trailing whitespace"],
    ["https://h/o/r\n", "leading or trailing whitespace"],
    ["https://h/o/r\u0000x", "control"],
    ["https://h/o\u202e/r", "control"],
    ["https://h/o/r\tx", "control"],
    ["-uevil", "starts with '-'"],
    ["--upload-pack=touch /tmp/x", "starts with '-'"],
    ["ext::sh -c touch% /tmp/pwned", '"ext::"'],
    ["fd::17", '"fd::"'],
    ["git://host/o/r", 'unsupported scheme "git://"'],
    ["ftp://host/o/r", "unsupported scheme"],
    ["https://host", "no repository path"],
    ["https://host/", "no repository path"],
    ["https://h/o/../r", "path traversal"],
    ["https://h/o/%2e%2e/r", "path traversal"],
    ["https://h/o/r/..", "path traversal"],
    ["https://h/o/a%2fb", "encoded path separator"],
    ["https://h/o/%zz", "malformed percent-encoding"],
    ["https://u:secret@h/o/r", "password"],
    ["https://h/o/r?x=1", "query or fragment"],
    ["https://h/o/r#frag", "query or fragment"],
    ["https://a@b@h/o/r", "more than one '@'"],
    ["https://h\\@evil/o/r", "backslash"],
    ["https://-h/o/r", "starts with '-'"],
    ["ssh://-oProxyCommand=x/o/r", "starts with '-'"],
    ["ssh://host", "no repository path"],
    ["ssh://host:99999/r", "bad port"],
    ["ssh://host/o/../r", "path traversal"],
    ["ssh://b!d@h/r", "bad user name"],
    ["git@-oProxyCommand=x:r", "starts with '-'"],
    ["host:-r", "starts with '-'"],
    ["host:", "no repository path"],
    ["host:../../etc", "path traversal"],
    ["https:github.com/o/r", 'missing "//"'],
    ["file://server/share/r", "with a host"],
    ["file:///srv/r?x", "query or fragment"],
    ["file:///srv/%00x", "control"],
    ["file:///", "root directory"],
    ["/", "root directory"],
    ["~/repo", "home-relative"],
    ["github.com/o/r", "not a URL or path"],
    ["repo", "not a URL or path"],
    ["https://h/o/.git", "cannot derive"],
    ["https://h/o/!!!", "cannot derive"],
    ["x".repeat(3000), "longer than"],
    ["https://h/o/my repo", "whitespace"],
    ["host:my repo", "whitespace"],
  ];
  for (const [input, reason] of cases) {
    const error = assertThrows(() => parseRepoUrl(input), GitError, reason);
    assertEquals(error.code, "GIT_URL_INVALID", input);
    assert(!/[\n\r]/.test(error.message), `one line for ${JSON.stringify(input)}`);
    assertMatch(error.message, /^invalid repository reference "/);
  }
});

Deno.test("error messages escape invisible characters and cap long input", () => {
  const error = assertThrows(() => parseRepoUrl("https://h/\u202eo/r"), GitError);
  assert(!error.message.includes("\u202e"));
  assert(error.message.includes("\\u202e"));
  const long = assertThrows(() => parseRepoUrl("x".repeat(3000)), GitError);
  assert(long.message.length < 300);
});

Deno.test("nameFor adds a stable hash suffix only when the name is taken", () => {
  const url = "https://github.com/a/repo.git";
  assertEquals(nameFor(url, new Set()), "repo");
  const suffixed = nameFor(url, new Set(["repo"]));
  assertEquals(suffixed, `repo-${shortHash(url)}`);
  assertMatch(suffixed, /^repo-[0-9a-f]{6}$/);
  assertEquals(nameFor(url, new Set(["repo"])), suffixed);
  assertEquals(nameFor("https://GITHUB.com/a/repo.git/", new Set(["repo"])), suffixed);
  const other = nameFor("https://github.com/b/repo.git", new Set(["repo"]));
  assert(other !== suffixed);
  assertEquals(nameFor(url, new Set(["repo", suffixed])), `repo-${shortHash(url, 12)}`);
  const full = new Set(["repo", suffixed, `repo-${shortHash(url, 12)}`]);
  assertEquals(nameFor(url, full), `repo-${shortHash(url, 12)}-2`);
  assertEquals(parseRepoUrl(url, { taken: new Set(["repo"]) }).suggestedName, suffixed);
  assertEquals(nameFor("./x", new Set(), { cwd: "/w" }), "x");
});

Deno.test("parsing is deterministic and its output is plain JSON", () => {
  const inputs = ["https://h/o/r", "git@h:o/r", "ssh://h/o/r", "/a/b", "file:///a/b"];
  for (const input of inputs) {
    const parsed = parseRepoUrl(input);
    assertEquals(JSON.parse(JSON.stringify(parsed)), parsed);
    assertEquals(parseRepoUrl(parsed.url), parsed, "normalized URL parses to itself");
  }
});

Deno.test("random input either parses to a safe, re-parsable value or throws GitError", () => {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pieces = [
    "https://",
    "http://",
    "ssh://",
    "file://",
    "git@",
    "h",
    "host.io",
    ":",
    "/",
    "//",
    ".",
    "..",
    ".git",
    "%2e",
    "%2F",
    "%",
    "@",
    "[",
    "]",
    "::1",
    "-",
    "~",
    "?",
    "#",
    "\\",
    " ",
    "\u0000",
    "\u202e",
    "é",
    "a",
    "Z",
    "0",
    "ext::",
    "22",
    "./",
    "../",
    "_",
  ];
  const prefixes = [
    "",
    "https://h.io/",
    "http://[::1]:8/",
    "ssh://git@h:22/",
    "git@h:",
    "file:///",
    "/",
  ];
  for (let i = 0; i < 5000; i++) {
    let input = prefixes[Math.floor(random() * prefixes.length)];
    const n = 1 + Math.floor(random() * 8);
    for (let j = 0; j < n; j++) input += pieces[Math.floor(random() * pieces.length)];
    try {
      const parsed = parseRepoUrl(input, { cwd: "/cwd" });
      assert(isSafeName(parsed.baseName), `${JSON.stringify(input)} -> ${parsed.baseName}`);
      assert(!parsed.url.startsWith("-"), JSON.stringify(input));
      assertEquals(parseRepoUrl(parsed.url), parsed, JSON.stringify(input));
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      assert(!/[\n\r]/.test(error.message));
    }
  }
});

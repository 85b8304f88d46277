/** The registry's HTTP API against a real server on loopback: who may publish, and what it refuses. */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sourceHash } from "../compiler/modules/registry-cache.js";
import { startTestRegistry, type TestRegistry } from "./testing.js";

const REWARD = '// An answer reward\nreward correct : outcome = exact_match(extract = r"answer: (-?\\d+)")\n';

let registry: TestRegistry;
let alice: string;
let bob: string;

beforeAll(async () => {
  registry = await startTestRegistry();
  alice = await registry.addUser("alice");
  bob = await registry.addUser("bob");
});
afterAll(() => registry.close());

async function call(method: string, route: string, options: { token?: string; body?: BodyInit; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${registry.url}${route}`, { method, headers, body: options.body, duplex: "half" } as RequestInit);
  const text = await response.text();
  const json = response.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : undefined;
  return { status: response.status, text, json, headers: response.headers };
}

const put = (route: string, body: BodyInit, token = alice) => call("PUT", `/api/v1/recipes/${route}`, { token, body });

describe("registry API", () => {
  it("publishes with the owner's token, and anyone reads it back with its hashes", async () => {
    const published = await put("alice/answers/1.0.0", REWARD);
    expect(published.status).toBe(201);
    expect(published.json).toMatchObject({ owner: "alice", name: "answers", version: "1.0.0", sha256: sourceHash(REWARD), yanked: false });
    expect(published.json.recipeHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const source = await call("GET", "/api/v1/recipes/alice/answers/1.0.0/source");
    expect(source.text).toBe(REWARD);
    expect(source.headers.get("x-roux-sha256")).toBe(sourceHash(REWARD));
    const search = await call("GET", "/api/v1/search?q=answer%20reward");
    expect(search.json.results).toEqual([{ owner: "alice", name: "answers", description: "An answer reward", latest: "1.0.0" }]);
  });

  it("refuses to publish a version twice, even with the same text (409)", async () => {
    await put("alice/twice/1.0.0", REWARD);
    const again = await put("alice/twice/1.0.0", `${REWARD}// changed\n`);
    expect(again.status).toBe(409);
    expect(again.json.error).toBe("alice/twice@1.0.0 is already published, and versions are immutable: publish a new version");
    expect((await call("GET", "/api/v1/recipes/alice/twice/1.0.0/source")).text).toBe(REWARD);
  });

  it("wants a valid token (401) of the namespace's owner (403)", async () => {
    const none = await put("alice/guarded/1.0.0", REWARD, "");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    expect(none.json.error).toContain("this needs a token");
    // Alice's user name with another secret, a token of no shape at all, and a forged user.
    for (const token of [`${alice.slice(0, -4)}AAAA`, "let-me-in", bob.replace("roux_bob_", "roux_alice_")]) {
      const wrong = await put("alice/guarded/1.0.0", REWARD, token);
      expect(wrong.status, token).toBe(401);
      expect(wrong.json.error).toBe("the token is not valid on this registry");
    }
    const other = await put("alice/guarded/1.0.0", REWARD, bob);
    expect(other.status).toBe(403);
    expect(other.json.error).toBe("bob cannot publish under alice/: a user publishes under their own name");
    expect((await call("GET", "/api/v1/recipes/alice/guarded")).status).toBe(404);
  });

  it("takes the Bearer scheme in any case, as HTTP's schemes are", async () => {
    for (const [scheme, name] of [
      ["bearer", "lower"],
      ["BEARER", "upper"],
      ["bEaReR ", "mixed"],
    ]) {
      const route = `/api/v1/recipes/alice/case-${name}/1.0.0`;
      const published = await call("PUT", route, { body: REWARD, headers: { authorization: `${scheme} ${alice}` } });
      expect(published.status, scheme).toBe(201);
    }
    const basic = await call("PUT", "/api/v1/recipes/alice/case-basic/1.0.0", { body: REWARD, headers: { authorization: `Basic ${alice}` } });
    expect(basic.status).toBe(401);
  });

  it("logs each refused token in one line, with the client's address and not the token", async () => {
    const guesses = ["roux_alice_guess1", "roux_alice_guess2"];
    for (const guess of guesses) expect((await put("alice/guessed/1.0.0", REWARD, guess)).status).toBe(401);
    expect((await put("alice/guessed/1.0.0", REWARD, bob)).status).toBe(403);
    // The log is in order: once the last refusal is there, so are the others.
    const log = await registry.logged(/alice\/guessed.*bob cannot publish/);
    expect(log.split("\n").filter((line) => line.includes("alice/guessed"))).toEqual([
      "refused PUT /api/v1/recipes/alice/guessed/1.0.0 from 127.0.0.1: the token is not valid on this registry",
      "refused PUT /api/v1/recipes/alice/guessed/1.0.0 from 127.0.0.1: the token is not valid on this registry",
      "refused PUT /api/v1/recipes/alice/guessed/1.0.0 from 127.0.0.1: bob cannot publish under alice/: a user publishes under their own name",
    ]);
    for (const secret of [...guesses, bob]) expect(log).not.toContain(secret);
  });

  it("logs a client that hangs up mid-upload in one line, with no stack, and publishes nothing", async () => {
    const { hostname, port } = new URL(registry.url);
    const socket = connect(Number(port), hostname);
    // Expect: 100-continue makes the server take up the request before any of the body is sent,
    // so the hang-up lands while it reads the body.
    socket.write(
      `PUT /api/v1/recipes/alice/hung-up/1.0.0 HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${alice}\r\n` +
        "Content-Type: text/plain\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n",
    );
    await new Promise<void>((resolve) => socket.once("data", () => resolve()));
    socket.write(REWARD.slice(0, 20));
    socket.destroy();
    const log = await registry.logged(/aborted/);
    expect(log.split("\n").filter((line) => /abort/.test(line))).toEqual(["client aborted its upload: PUT /api/v1/recipes/alice/hung-up/1.0.0"]);
    expect(log).not.toContain("internal error");
    expect(log).not.toMatch(/^\s+at /m);
    expect((await call("GET", "/api/v1/recipes/alice/hung-up")).status).toBe(404);
  });

  it("refuses an upload over 1 MiB, declared or streamed, with a message (413)", async () => {
    const big = `${REWARD}${"// padding\n".repeat(100_000)}`;
    const declared = await put("alice/big/1.0.0", big);
    expect(declared.status).toBe(413);
    expect(declared.json.error).toBe("a recipe may be at most 1048576 bytes (1 MiB)");
    // Chunked, with no length to refuse up front: cut off where it crosses the limit.
    const chunk = new TextEncoder().encode("// padding\n".repeat(10_000));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await put("alice/big/1.0.0", stream);
    expect(streamed.status).toBe(413);
    expect(streamed.json.error).toContain("at most 1048576 bytes");
    expect((await call("GET", "/api/v1/recipes/alice/big")).status).toBe(404);
  });

  it("refuses a malformed upload with a message: not text, empty, or not passing roux check", async () => {
    const binary = await put("alice/bad/1.0.0", new Uint8Array([0x72, 0x65, 0xff, 0xfe, 0x00]));
    expect(binary.status).toBe(400);
    expect(binary.json.error).toBe("the upload is not UTF-8 text: a recipe is a text file");
    expect((await put("alice/bad/1.0.0", "")).json.error).toContain("the upload is empty");
    const broken = await put("alice/bad/1.0.0", "reward x : outcome = nope\n");
    expect(broken.status).toBe(422);
    expect(broken.json.error).toBe("alice/bad@1.0.0 does not pass `roux check`: 1 error, 0 warnings");
    expect(broken.json.diagnostics.diagnostics[0]).toMatchObject({ code: "E1101", file: "registry:alice/bad@1.0.0", line: 1 });
    expect(broken.json.rendered).toContain("error[E1101]: unknown name `nope`\n --> registry:alice/bad@1.0.0:1:22");
  });

  it('answers a recipe with thousands of errors on one long line with a bounded 422 (docs/language.md §7 "Long output")', async () => {
    const refused = await put("alice/garbage/1.0.0", `let a = ${"@ ".repeat(6000)}// ${"x".repeat(900_000)}\n`);
    expect(refused.status).toBe(422);
    const { errors, diagnostics, omitted } = refused.json.diagnostics;
    expect(errors).toBeGreaterThan(6000);
    expect(diagnostics).toHaveLength(100);
    expect(omitted).toBe(errors - 100);
    expect(refused.json.rendered).toContain(`and ${omitted} more errors in registry:alice/garbage@1.0.0\n`);
    expect(refused.text.length).toBeLessThan(200_000);
  });

  it("refuses a recipe that reads local files on the server (E1103)", async () => {
    const reaching = await put(
      "alice/reach/1.0.0",
      'use "./secret.recipe" as s\nreward prm : process = onnx("/etc/model.onnx") { input = "x", output = "y" }\n',
    );
    expect(reaching.status).toBe(422);
    const codes = reaching.json.diagnostics.diagnostics.map((d: { code: string; message: string }) => [d.code, d.message]);
    expect(codes).toEqual([
      ["E1103", "registry module `registry:alice/reach@1.0.0`: a registry module cannot read local files, and this names `./secret.recipe`"],
      ["E1103", "registry module `registry:alice/reach@1.0.0`: a registry module cannot read local files, and this names `/etc/model.onnx`"],
    ]);
  });

  it("checks a recipe's registry imports against its own store and their pins", async () => {
    await put("alice/base/1.0.0", REWARD);
    const good = `use "registry:alice/base@1.0.0" sha256 "${sourceHash(REWARD)}" as base\nreward again : outcome = base.correct\n`;
    expect((await put("alice/derived/1.0.0", good)).status).toBe(201);
    const wrongPin = good.replace(sourceHash(REWARD), "0".repeat(64));
    const refused = await put("alice/derived/1.0.1", wrongPin);
    expect(refused.status).toBe(422);
    expect(refused.json.diagnostics.diagnostics[0].message).toContain("its sha256 is");
    const missing = await put("alice/derived/1.0.2", good.replace("base@1.0.0", "base@9.0.0"));
    expect(missing.json.diagnostics.diagnostics[0].message).toContain("not published on this registry");
  });

  it("validates names and versions on the raw path, before any decoding", async () => {
    for (const [route, message] of [
      ["Alice/x/1.0.0", "`Alice` is not an owner"],
      ["alice/..%2F..%2Fetc/1.0.0", "`..%2F..%2Fetc` is not a recipe name"],
      ["alice/x/1.0", "`1.0` is not a version"],
      ["alice/x/01.0.0", "`01.0.0` is not a version"],
    ] as const) {
      const refused = await put(route, REWARD);
      expect(refused.status, route).toBe(400);
      expect(refused.json.error, route).toContain(message);
    }
    expect((await call("GET", "/api/v1/recipes/alice/x/1.0.0/../../../etc/passwd")).json.error).toBeDefined();
  });

  it("yanks a version: still pullable, no longer the latest", async () => {
    await put("alice/yanky/1.0.0", REWARD);
    await put("alice/yanky/1.1.0", `${REWARD}// 1.1\n`);
    expect((await call("POST", "/api/v1/recipes/alice/yanky/1.1.0/yank", { token: bob })).status).toBe(403);
    const yanked = await call("POST", "/api/v1/recipes/alice/yanky/1.1.0/yank", { token: alice });
    expect(yanked.json).toMatchObject({ version: "1.1.0", yanked: true });
    const info = await call("GET", "/api/v1/recipes/alice/yanky");
    expect(info.json.latest).toBe("1.0.0");
    expect(info.json.versions.map((v: { version: string; yanked: boolean }) => [v.version, v.yanked])).toEqual([
      ["1.1.0", true],
      ["1.0.0", false],
    ]);
    expect((await call("GET", "/api/v1/recipes/alice/yanky/1.1.0/source")).status).toBe(200);
    await call("DELETE", "/api/v1/recipes/alice/yanky/1.1.0/yank", { token: alice });
    expect((await call("GET", "/api/v1/recipes/alice/yanky")).json.latest).toBe("1.1.0");
  });

  it("answers unknown paths and methods in JSON", async () => {
    const unknown = await call("GET", "/api/v2/recipes");
    expect([unknown.status, unknown.json.error]).toEqual([404, "no such API: the registry's API is under /api/v1"]);
    const method = await call("DELETE", "/api/v1/recipes/alice/answers/1.0.0", { token: alice });
    expect(method.status).toBe(405);
    expect(method.headers.get("allow")).toBe("GET, PUT");
  });
});

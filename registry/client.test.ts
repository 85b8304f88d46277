/**
 * The registry from the `roux` client, against a real server on loopback: log in, publish,
 * search, info, pull into the cache and roux.lock, import and check; and the ways it must fail.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createServer as createHttpServer } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cachedModulePath, sourceHash } from "../compiler/modules/registry-cache.js";
import { runCli } from "../test/run-cli.js";
import { startTestRegistry, type TestRegistry } from "./testing.js";

const LIB = '// Rewards for the arithmetic task, shared\nreward correct : outcome = exact_match(extract = r"answer: (-?\\d+)")\n';

/** A loopback port nothing listens on: one the system just gave out and took back. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let registry: TestRegistry;
let token: string;
const roux = (...args: string[]) => runCli(args, registry.env);

beforeAll(async () => {
  registry = await startTestRegistry();
  token = await registry.addUser("alice");
  await writeFile(path.join(registry.dir, "lib.recipe"), LIB);
});
afterAll(() => registry.close());

describe("roux publish, search, info, pull and check", () => {
  it("logs in only with a token the registry accepts", async () => {
    const wrong = await roux("login", "--token", `roux_alice_${"A".repeat(43)}`);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toBe("error: the token is not valid on this registry\n");
    const right = await roux("login", "--token", token);
    expect(right.status).toBe(0);
    expect(right.stderr).toContain(`logged in to ${registry.url} as alice`);
  });

  it("publishes, refuses the same version again, and finds it by search and info", async () => {
    const lib = path.join(registry.dir, "lib.recipe");
    const published = await roux("publish", lib, "--name", "alice/arith-rewards", "--version", "1.0.0");
    expect(published.status).toBe(0);
    expect(published.stdout).toContain(`sha256 ${sourceHash(LIB)}\n`);
    const again = await roux("publish", lib, "--name", "alice/arith-rewards", "--version", "1.0.0");
    expect(again.status).toBe(1);
    expect(again.stderr).toBe("error: alice/arith-rewards@1.0.0 is already published, and versions are immutable: publish a new version\n");
    const found = await roux("search", "arithmetic");
    expect(found.stdout).toBe("alice/arith-rewards  1.0.0     Rewards for the arithmetic task, shared\n");
    const info = await roux("info", "alice/arith-rewards");
    expect(info.stdout).toContain(`1.0.0      sha256 ${sourceHash(LIB)}  recipe sha256:`);
  });

  it("shows the server's diagnostics for a recipe that does not check", async () => {
    const bad = path.join(registry.dir, "bad.recipe");
    await writeFile(bad, "reward x : outcome = corect\n");
    const refused = await roux("publish", bad, "--name", "alice/bad", "--version", "1.0.0");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("error[E1101]: unknown name `corect`");
    expect(refused.stderr).toContain("error: alice/bad@1.0.0 does not pass `roux check`: 1 error, 0 warnings\n");
  });

  it("pulls into the cache and roux.lock, and a recipe importing it checks; a tampered cache is E1103", async () => {
    const lock = path.join(registry.dir, "roux.lock");
    const pulled = await roux("pull", "--lock", lock, "alice/arith-rewards@1.0.0");
    expect(pulled.status).toBe(0);
    const use = `use "registry:alice/arith-rewards@1.0.0" sha256 "${sourceHash(LIB)}" as arith_rewards`;
    expect(pulled.stdout).toBe(`${use}\n`);
    const cached = cachedModulePath("alice", "arith-rewards", "1.0.0", registry.env);
    expect(await readFile(cached, "utf8")).toBe(LIB);
    expect(JSON.parse(await readFile(lock, "utf8")).modules["alice/arith-rewards@1.0.0"]).toEqual({ sha256: sourceHash(LIB), registry: registry.url });

    const recipe = path.join(registry.dir, "uses.recipe");
    await writeFile(recipe, `${use}\n\nreward mine : outcome = arith_rewards.correct\n`);
    const checked = await roux("check", recipe);
    expect(checked.stderr).toContain("0 errors");
    expect(checked.status).toBe(0);

    await writeFile(cached, LIB.replace("-?", ""));
    const tampered = await roux("check", recipe);
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toContain("error[E1103]: registry module `registry:alice/arith-rewards@1.0.0`: the cached file's sha256 is");
    expect(tampered.stderr).toContain("was changed after it was pulled");

    // Pulling again restores what was published.
    expect((await roux("pull", "--lock", lock, "alice/arith-rewards@1.0.0")).status).toBe(0);
    expect((await roux("check", recipe)).status).toBe(0);
  });

  it("refuses a pull whose registry serves other bytes than roux.lock records", async () => {
    const lock = path.join(registry.dir, "other.lock");
    await writeFile(lock, JSON.stringify({ lockfileVersion: 1, modules: { "alice/arith-rewards@1.0.0": { sha256: "a".repeat(64), registry: registry.url } } }));
    const refused = await roux("pull", "--lock", lock, "alice/arith-rewards@1.0.0");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`pins alice/arith-rewards@1.0.0 to sha256 ${"a".repeat(64)}, but ${registry.url} now serves ${sourceHash(LIB)}`);
  });

  it("refuses a publish the registry redirects, naming where to, and publishes nothing", async () => {
    for (const status of [307, 308, 302]) {
      // A front that sends every request on to the real registry, as a moved host would.
      const front = createHttpServer((request, response) => {
        response.writeHead(status, { location: `${registry.url}${request.url}` }).end();
      });
      await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
      const frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
      const result = await runCli(["publish", path.join(registry.dir, "lib.recipe"), "--name", "alice/moved", "--version", "1.0.0", "--registry", frontUrl], {
        ...registry.env,
        ROUX_TOKEN: token,
      });
      await new Promise((resolve) => front.close(resolve));
      expect(result.status, String(status)).toBe(1);
      expect(result.stderr).toBe(
        `error: ${frontUrl} redirected PUT /api/v1/recipes/alice/moved/1.0.0 to ${registry.url}/api/v1/recipes/alice/moved/1.0.0 (HTTP ${status}): ` +
          "an upload is not sent on; if the registry has moved, name its new address with --registry\n",
      );
    }
    expect((await roux("info", "alice/moved")).stderr).toBe("error: alice/moved is not published\n");
  });

  it("says what is wrong in one line: bad names, no such version, no server", async () => {
    const closed = await freePort();
    const cases: [string[], number, string][] = [
      [["pull", "alice/x"], 2, "error: give one version as OWNER/NAME@X.Y.Z\n"],
      [["registry", "add-user", "Alice"], 2, "error: `Alice` cannot be a user: an owner is 1 to 39 lower-case letters"],
      [["registry", "serve", "--port", "99999"], 2, "error: --port takes a port number from 0 to 65535, not `99999`\n"],
      [["registry", "add-user", "bob", "--db", path.join(registry.dir, "no", "such", "folder.db")], 1, "error: cannot open the registry database"],
      [["publish", "lib.recipe", "--name", "Alice/x", "--version", "1.0.0"], 2, "error: --name takes OWNER/NAME"],
      [["publish", "lib.recipe", "--name", "alice/x", "--version", "v1"], 2, "error: --version takes MAJOR.MINOR.PATCH"],
      [["pull", "--lock", path.join(registry.dir, "roux.lock"), "alice/arith-rewards@9.9.9"], 1, "error: alice/arith-rewards@9.9.9 is not published\n"],
      [["info", "--registry", `http://127.0.0.1:${closed}`, "alice/x"], 1, `error: cannot reach the registry at http://127.0.0.1:${closed}: ECONNREFUSED\n`],
    ];
    for (const [args, status, message] of cases) {
      const result = await roux(...args);
      expect(result.status, args.join(" ")).toBe(status);
      expect(result.stderr.startsWith(message), result.stderr).toBe(true);
    }
  });
});

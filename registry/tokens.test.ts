/**
 * Tokens against a real server on loopback: a user may hold several, the operator lists and
 * revokes them, and an address that presents too many invalid ones is refused for a while.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH_LIMIT } from "./auth-limit.js";
import { startTestRegistry, type TestRegistry } from "./testing.js";
import { tokenId } from "./tokens.js";

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startTestRegistry();
});
afterAll(() => registry.close());

/** GET on the registry from a chosen loopback address (Linux routes all of 127/8 to loopback). */
function get(route: string, options: { token?: string; from?: string } = {}): Promise<{ status: number; retryAfter?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
    const call = request(`${registry.url}${route}`, { headers, localAddress: options.from ?? "127.0.0.1" }, (response) => {
      let body = "";
      response.on("data", (chunk) => {
        body += String(chunk);
      });
      response.on("end", () => resolve({ status: response.statusCode!, retryAfter: response.headers["retry-after"], body }));
    });
    call.on("error", reject);
    call.end();
  });
}

const whoami = (token: string, from?: string) => get("/api/v1/whoami", { token, from });

const tokenTable = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(/ {2,}/));

describe("registry tokens", () => {
  it("adds a second token when add-user runs again, says so, and lists both by id", async () => {
    const first = await registry.admin(["add-user", "carol"]);
    expect(first.stderr).toContain(`a token for carol, who may publish under carol/. Its id is ${tokenId(first.stdout.trim())}.`);
    const second = await registry.admin(["add-user", "carol"]);
    expect(second.stderr).toContain("added another token for carol, who may publish under carol/; carol now has 2 valid tokens");
    expect(second.stderr).toContain("`roux registry revoke carol ID` removes one");
    const [one, two] = [first.stdout.trim(), second.stdout.trim()];
    expect((await whoami(one)).body).toContain('"carol"');
    const listed = await registry.admin(["tokens", "carol"]);
    expect(listed.status).toBe(0);
    expect(listed.stdout.split("\n")[0]).toMatch(/^id +created +last used$/);
    const rows = tokenTable(listed.stdout);
    expect(rows.map((r) => r[0])).toEqual([tokenId(one), tokenId(two)]);
    expect(rows[0]![2]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(rows[1]![2]).toBe("never");
    // The listing names tokens by id only: neither secret is printed.
    expect(listed.stdout + listed.stderr).not.toContain(one);
    expect(listed.stdout + listed.stderr).not.toContain(two);
  });

  it("refuses a revoked token from the next request on, and keeps the user's others", async () => {
    const keep = await registry.addUser("dave");
    const revoked = await registry.addUser("dave");
    expect((await whoami(revoked)).status).toBe(200);
    const result = await registry.admin(["revoke", "dave", tokenId(revoked)]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(`revoked dave's token ${tokenId(revoked)}; dave has 1 valid token left\n`);
    expect((await whoami(revoked)).status).toBe(401);
    expect((await whoami(keep)).status).toBe(200);
    expect(tokenTable((await registry.admin(["tokens", "dave"])).stdout).map((r) => r[0])).toEqual([tokenId(keep)]);
  });

  it("says which ids exist when asked to revoke one that does not, or list an unknown user's", async () => {
    await registry.addUser("erin");
    for (const id of ["0123456789ab", "0123", tokenId(await registry.addUser("frank"))]) {
      const result = await registry.admin(["revoke", "erin", id]);
      expect(result.status, id).toBe(1);
      expect(result.stderr).toBe(`error: erin has no token with id \`${id}\`: \`roux registry tokens erin\` lists their ids\n`);
    }
    expect(tokenTable((await registry.admin(["tokens", "erin"])).stdout)).toHaveLength(1);
    const unknown = await registry.admin(["tokens", "nobody"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe("error: there is no user nobody on this registry\n");
    expect((await registry.admin(["revoke", "erin"])).stderr).toContain("error: revoke takes a user name and a token id\n");
  });

  it("refuses an address that presented too many invalid tokens (429, Retry-After), logging each refusal in one line", async () => {
    const good = await registry.addUser("grace");
    const guesses: string[] = [];
    let refused: Awaited<ReturnType<typeof get>> | undefined;
    // The guesses come from an address of their own. Failures drain slowly (one a minute), so the
    // limit arrives after `burst` of them, or a few more on a slow machine.
    const guesser = "127.0.0.3";
    while (refused === undefined && guesses.length < 3 * AUTH_LIMIT.burst) {
      const guess = `roux_grace_${String(guesses.length).padStart(43, "x")}`;
      guesses.push(guess);
      const answer = await whoami(guess, guesser);
      if (answer.status === 429) refused = answer;
      else expect(answer.status).toBe(401);
    }
    expect(refused).toBeDefined();
    expect(guesses.length).toBeGreaterThan(AUTH_LIMIT.burst);
    expect(Number(refused!.retryAfter)).toBeGreaterThan(0);
    expect(JSON.parse(refused!.body).error).toMatch(/^too many invalid tokens from this address: try again in \d+ s$/);
    // The address is refused whatever token it presents, so a refusal tells nothing about one...
    expect((await whoami(good, guesser)).status).toBe(429);
    // ...while its public reads, and other addresses' tokens, are answered as before.
    expect((await get("/api/v1/search?q=x", { from: guesser })).status).toBe(200);
    expect((await whoami(good)).status).toBe(200);
    const log = await registry.logged(/from 127\.0\.0\.3: too many invalid tokens(.|\n)*from 127\.0\.0\.3: too many invalid tokens/);
    const refusals = log.split("\n").filter((line) => line.includes("too many invalid tokens"));
    expect(refusals).toHaveLength(2);
    for (const line of refusals)
      expect(line).toMatch(/^refused GET \/api\/v1\/whoami from 127\.0\.0\.3: too many invalid tokens from this address: try again in \d+ s$/);
    for (const secret of [...guesses, good]) expect(log).not.toContain(secret);
  });
});

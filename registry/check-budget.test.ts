/**
 * Upload checks run off the server's request thread, under a time and a memory budget, against a
 * real server on loopback: other requests are answered while a costly check runs, a check over
 * its budget is a refused upload (not a crash, not a stall), and a refusal's answer is bounded
 * in size. Nothing here is timed: the tests look at the order of events and at the answers.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePair } from "../bench/generate.js";
import { MAX_RECIPE_BYTES } from "./body.js";
import { REPORT_BYTES } from "./bounded-report.js";
import { startTestRegistry, type TestRegistry } from "./testing.js";

const REWARD = '// An answer reward\nreward correct : outcome = exact_match(extract = r"answer: (-?\\d+)")\n';
// A valid recipe near the upload limit: its check takes seconds, as a real 1 MiB recipe's does.
const BIG = generatePair(37_000).recipe;

let registry: TestRegistry;
let alice: string;

beforeAll(async () => {
  // A budget no check here reaches, however busy the machine: these tests are about order.
  registry = await startTestRegistry(["--check-seconds", "600"]);
  alice = await registry.addUser("alice");
});
afterAll(() => registry.close());

async function put(route: string, body: string) {
  const response = await fetch(`${registry.url}/api/v1/recipes/${route}`, { method: "PUT", headers: { authorization: `Bearer ${alice}` }, body });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) };
}

/** A PUT whose `sent` settles once the whole body has left for the server, and `answered` with its status. */
function upload(route: string, body: string): { sent: Promise<void>; answered: Promise<number> } {
  let sent!: () => void;
  const flushed = new Promise<void>((resolve) => {
    sent = resolve;
  });
  const answered = new Promise<number>((resolve, reject) => {
    const headers = { authorization: `Bearer ${alice}`, "content-length": Buffer.byteLength(body) };
    const req = request(`${registry.url}/api/v1/recipes/${route}`, { method: "PUT", headers }, (response) => {
      response.resume();
      response.once("end", () => resolve(response.statusCode!));
    });
    req.once("error", reject);
    req.end(body, () => sent());
  });
  return { sent: flushed, answered };
}

describe("upload checks run in workers, under a budget", () => {
  it("answers other requests while a costly upload is being checked", async () => {
    expect(Buffer.byteLength(BIG)).toBeGreaterThan(0.9 * MAX_RECIPE_BYTES);
    expect((await put("alice/answers/1.0.0", REWARD)).status).toBe(201);
    const events: string[] = [];
    const big = upload("alice/big/1.0.0", BIG);
    const done = big.answered.then((status) => events.push(`upload ${status}`));
    await big.sent;
    // Asked once the server has the whole upload: a server checking it on its one thread
    // would answer these only after the upload.
    const search = await fetch(`${registry.url}/api/v1/search?q=answer`);
    events.push(`search ${search.status}`);
    const page = await fetch(`${registry.url}/alice/answers/1.0.0`);
    events.push(`page ${page.status}`);
    await done;
    expect(events).toEqual(["search 200", "page 200", "upload 201"]);
  }, 120_000);

  it("answers a recipe whose diagnostics quote a huge upload with a bounded 422", async () => {
    const refused = await put("alice/quoted/1.0.0", `reward x : outcome = ${"a".repeat(300_000)}\n`);
    expect(refused.status).toBe(422);
    expect(refused.json.error).toBe("alice/quoted@1.0.0 does not pass `roux check`: 1 error, 0 warnings");
    expect(refused.json.rendered).toContain("... cut here: the report is");
    expect(refused.json.rendered).toContain("`roux check` shows all of it");
    // The one diagnostic does not fit the list's share; it is counted, not lost.
    expect(refused.json.diagnostics).toMatchObject({ errors: 1, diagnostics: [], omitted: 1 });
    expect(Buffer.byteLength(refused.text)).toBeLessThan(2 * REPORT_BYTES + 4096);
  });

  it("refuses an upload whose check takes longer than the time budget, and publishes nothing", async () => {
    await registry.restart(["--check-seconds", "0.001"]);
    const refused = await put("alice/slow/1.0.0", REWARD);
    expect(refused.status).toBe(422);
    expect(refused.json.error).toBe("alice/slow@1.0.0 is refused: the check took longer than 0.001 s, the registry's time budget for one check");
    // The operator hears of it: one line, with the client's address.
    const line = (await registry.logged(/alice\/slow@1\.0\.0 is refused/)).split("\n").find((l) => l.includes("alice/slow@1.0.0"));
    expect(line).toMatch(/^refused PUT \/api\/v1\/recipes\/alice\/slow\/1\.0\.0 from \S+: alice\/slow@1\.0\.0 is refused: the check took longer than 0\.001 s/);
    expect((await fetch(`${registry.url}/api/v1/recipes/alice/slow`)).status).toBe(404);
    expect((await fetch(`${registry.url}/api/v1/search?q=answer`)).status).toBe(200);
  });

  it("refuses an upload whose check needs more memory than its budget, and goes on checking others", async () => {
    // A small recipe checks in 16 MB; the 1 MiB one needs more than 64.
    await registry.restart(["--check-memory-mb", "40"]);
    const refused = await put("alice/big/1.0.1", BIG);
    expect(refused.status).toBe(422);
    expect(refused.json.error).toBe("alice/big@1.0.1 is refused: the check needed more than 40 MB, the registry's memory budget for one check");
    // The worker that died is replaced for the next upload.
    expect((await put("alice/answers/1.0.1", REWARD)).status).toBe(201);
    expect((await fetch(`${registry.url}/api/v1/recipes/alice/big/1.0.1`)).status).toBe(404);
  }, 120_000);
});

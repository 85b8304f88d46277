/**
 * Uploads nested too deep or chained long, against a real server on loopback: a refusal with
 * E0005 or a publish, never a 500 (docs/language.md §9 "Nesting").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "./testing.js";

let registry: TestRegistry;
let alice: string;

beforeAll(async () => {
  registry = await startTestRegistry();
  alice = await registry.addUser("alice");
});
afterAll(() => registry.close());

async function publish(route: string, body: string) {
  const response = await fetch(`${registry.url}/api/v1/recipes/${route}`, { method: "PUT", headers: { authorization: `Bearer ${alice}` }, body });
  return { status: response.status, json: await response.json() };
}

describe("deep and long uploads", () => {
  it("refuses 200 nested parentheses with E0005 at the 65th", async () => {
    const refused = await publish("alice/deep/1.0.0", `let a = ${"(".repeat(200)}1${")".repeat(200)}\n`);
    expect(refused.status).toBe(422);
    expect(refused.json.diagnostics.diagnostics).toMatchObject([{ code: "E0005", line: 1, column: 9 + 64 }]);
  });

  it("publishes a sum of 10,000 terms", async () => {
    const published = await publish("alice/long/1.0.0", `// a long sum\nlet a = ${Array(10_000).fill("1").join(" + ")}\n`);
    expect(published.status).toBe(201);
    expect(published.json.recipeHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

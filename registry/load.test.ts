/**
 * The registry under load, on loopback only and bounded: 50 clients at once, each publishing
 * distinct versions of one recipe and pulling versions back (its own and the others'), for 30
 * seconds (`ROUX_LOAD_SECONDS` shortens it) or 400 rounds each, whichever ends first. Nothing
 * is timed against a threshold: the test asks for zero errors, and that afterwards every
 * version published pulls back byte for byte as sent. The rate is printed for the reader.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegistryClient } from "./client.js";
import { startTestRegistry, type TestRegistry } from "./testing.js";

const CLIENTS = 50;
const SECONDS = Number(process.env.ROUX_LOAD_SECONDS ?? 30);
const MAX_ROUNDS = 400;

const recipeFor = (version: string) => `// load test, version ${version}\nreward correct : outcome = exact_match(extract = r"answer: (-?\\d+)")\n`;

let registry: TestRegistry;
let token: string;

beforeAll(async () => {
  registry = await startTestRegistry();
  token = await registry.addUser("alice");
});
afterAll(() => registry.close());

describe("registry under load", () => {
  it(`serves ${CLIENTS} clients publishing and pulling for ${SECONDS} s with no error`, async () => {
    const published = new Map<string, Buffer>();
    const errors: string[] = [];
    let pulls = 0;
    const deadline = Date.now() + SECONDS * 1000;

    async function client(index: number): Promise<void> {
      const api = new RegistryClient(registry.url, token);
      for (let round = 0; round < MAX_ROUNDS && Date.now() < deadline; round++) {
        const version = `${index + 1}.${round}.0`;
        const content = Buffer.from(recipeFor(version));
        const ref = { owner: "alice", name: "load", version };
        try {
          const row = await api.publish(ref, content);
          published.set(version, content);
          if (!(await api.source(ref, row.sha256)).equals(content)) errors.push(`${version} pulled back different bytes`);
          // And one another client published, by the hash its listing gives.
          // The version just published is among them, so there is always one to pick.
          const others = [...published.keys()];
          const other = others[Math.floor(Math.random() * others.length)] ?? version;
          const otherRef = { ...ref, version: other };
          const listed = await api.version(otherRef);
          if (!(await api.source(otherRef, listed.sha256)).equals(published.get(other)!)) errors.push(`${other} pulled back different bytes`);
          pulls += 2;
        } catch (error) {
          errors.push(`${version}: ${(error as Error).message}`);
        }
      }
    }

    const started = Date.now();
    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `registry load: ${published.size} publishes and ${pulls} pulls by ${CLIENTS} clients in ${seconds.toFixed(1)} s ` +
        `(${(published.size / seconds).toFixed(0)} publishes/s)`,
    );
    expect(errors).toEqual([]);
    expect(published.size).toBeGreaterThan(CLIENTS);

    const reader = new RegistryClient(registry.url);
    const info = await reader.info({ owner: "alice", name: "load" });
    expect(info.versions.map((v) => v.version).sort()).toEqual([...published.keys()].sort());
    for (const v of info.versions) {
      const content = await reader.source({ owner: "alice", name: "load", version: v.version }, v.sha256);
      expect(content.equals(published.get(v.version)!), v.version).toBe(true);
    }
  }, 180_000);
});

/**
 * The registry under load, on loopback only and bounded: 50 clients at once, each publishing
 * distinct versions of one recipe and pulling versions back (its own and the others'), for 30
 * seconds (`ROUX_LOAD_SECONDS` shortens it) or 400 rounds each, whichever ends first. Then
 * packages: 8 clients at once, 3 rounds each, each round uploading a package of its own dataset
 * and a reward module every client shares (so the same blob arrives from all of them at once),
 * publishing it, and pulling its own and another's package file by file. Nothing is timed
 * against a threshold: the test asks for zero errors, and that afterwards every version published
 * pulls back byte for byte as sent, every file of every package too. The rate is printed for the
 * reader.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PackageFile, type PackageManifest, packageHash } from "../compiler/modules/package-manifest.js";
import { RegistryClient } from "./client.js";
import { sha256Hex, startTestRegistry, type TestRegistry } from "./testing.js";

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

const PACKAGE_CLIENTS = 8;
const PACKAGE_ROUNDS = 3;

const SHARED_REWARD = "export function score(response: string): number {\n  return /answer: -?\\d+$/.test(response.trim()) ? 1 : 0;\n}\n";
const PACKAGE_RECIPE =
  'data train = jsonl("data/train.jsonl") { prompt = "prompt", answer = "answer" }\nreward fmt : outcome = js("rewards/score.ts", "score") { range = 0..1 }\n';

describe("registry under load, packages", () => {
  it(`serves ${PACKAGE_CLIENTS} clients publishing and pulling packages with files, every byte verified`, async () => {
    /** Each package's files by version: path to bytes, the recipe's included. */
    const published = new Map<string, Map<string, Buffer>>();
    const errors: string[] = [];
    let downloads = 0;

    /** Downloads every file of the version (the client checks each against the manifest) and compares it with what was sent. */
    async function pullAndCompare(api: RegistryClient, version: string, into: string): Promise<void> {
      const ref = { owner: "alice", name: "load-package", version };
      const row = await api.version(ref);
      const sent = published.get(version)!;
      if (row.manifest === undefined || row.packageHash !== packageHash(row.manifest))
        return void errors.push(`${version}: no manifest matching its package hash`);
      const listed = [row.manifest.recipe, ...row.manifest.files];
      if (
        listed
          .map((f) => f.path)
          .sort()
          .join() !== [...sent.keys()].sort().join()
      )
        errors.push(`${version} lists other files than were sent`);
      for (const file of listed) {
        const target = path.join(into, version, ...file.path.split("/"));
        await mkdir(path.dirname(target), { recursive: true });
        await api.downloadFile(ref, file, target);
        downloads++;
        if (!(await readFile(target)).equals(sent.get(file.path) ?? Buffer.alloc(0))) errors.push(`${version}'s ${file.path} pulled back different bytes`);
      }
    }

    async function client(index: number): Promise<void> {
      const api = new RegistryClient(registry.url, token);
      const folder = path.join(registry.dir, `package-client-${index}`);
      for (let round = 0; round < PACKAGE_ROUNDS; round++) {
        const version = `${index + 1}.${round}.0`;
        const files = new Map<string, Buffer>([
          ["main.recipe", Buffer.from(PACKAGE_RECIPE)],
          ["data/train.jsonl", Buffer.from(`{"prompt": "${index}+${round}=", "answer": "${index + round}"}\n`.repeat(50 + index))],
          ["rewards/score.ts", Buffer.from(SHARED_REWARD)],
        ]);
        const entries: PackageFile[] = [];
        try {
          for (const [file, bytes] of files) {
            const local = path.join(folder, version, ...file.split("/"));
            await mkdir(path.dirname(local), { recursive: true });
            await writeFile(local, bytes);
            await api.putBlob(local, sha256Hex(bytes));
            entries.push({ path: file, size: bytes.length, sha256: sha256Hex(bytes) });
          }
          const manifest: PackageManifest = { recipe: entries[0]!, files: entries.slice(1) };
          const row = await api.publishPackage({ owner: "alice", name: "load-package", version }, manifest);
          if (row.packageHash !== packageHash(manifest)) errors.push(`${version} was published with package hash ${row.packageHash}`);
          published.set(version, files);
          // Its own, and one another client published (its own is among them, so there is always one).
          const others = [...published.keys()];
          await pullAndCompare(api, version, path.join(folder, "pulled"));
          await pullAndCompare(api, others[Math.floor(Math.random() * others.length)] ?? version, path.join(folder, "pulled-other"));
        } catch (error) {
          errors.push(`${version}: ${(error as Error).message}`);
        }
      }
    }

    const started = Date.now();
    await Promise.all(Array.from({ length: PACKAGE_CLIENTS }, (_, i) => client(i)));
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `registry load, packages: ${published.size} publishes and ${downloads} file downloads by ${PACKAGE_CLIENTS} clients in ${seconds.toFixed(1)} s`,
    );
    expect(errors).toEqual([]);
    expect(published.size).toBe(PACKAGE_CLIENTS * PACKAGE_ROUNDS);

    // Afterwards, a reader with no token pulls every version, every file.
    const reader = new RegistryClient(registry.url);
    const info = await reader.info({ owner: "alice", name: "load-package" });
    expect(info.versions.map((v) => v.version).sort()).toEqual([...published.keys()].sort());
    for (const v of info.versions) await pullAndCompare(reader, v.version, path.join(registry.dir, "reader"));
    expect(errors).toEqual([]);
  }, 180_000);
});

/**
 * `roux registry gc` against a real registry on loopback: the blobs no version names (an upload
 * never published, the files of a refused publish) are removed once past the grace period, and
 * reported with the bytes freed; the files of a published version stay, a yanked one's too, and
 * that version still pulls, every byte verified.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cachedPackage } from "../compiler/modules/registry-cache.js";
import { BlobStore } from "./blobs.js";
import { registryForTests, sha256Hex } from "./testing.js";

const tested = registryForTests("alice");
const { roux } = tested;

const recipeReading = (key: string) =>
  `data train = jsonl("train.jsonl") { prompt = "prompt", answer = "${key}" }\nreward correct : outcome = exact_match(extract = r"(\\d+)")\n`;

/** A recipe reading its own dataset, in a folder of its own; publishes it and says whether it was published. */
async function publish(name: string, data: string, key = "answer"): Promise<number> {
  const folder = path.join(tested.registry.dir, name);
  await mkdir(folder);
  await writeFile(path.join(folder, "train.jsonl"), data);
  await writeFile(path.join(folder, "main.recipe"), recipeReading(key));
  return (await roux("publish", path.join(folder, "main.recipe"), "--name", `alice/${name}`, "--version", "1.0.0")).status;
}

describe("roux registry gc", () => {
  it("removes the blobs no version names, keeps a yanked version's, which still pulls", async () => {
    const blobs = new BlobStore(`${tested.registry.db}.blobs`);
    const kept = '{"prompt": "1+1=", "answer": "2"}\n';
    const yanked = '{"prompt": "2+2=", "answer": "4"}\n';
    const refused = '{"prompt": "3+3=", "answer": "6"}\n';
    expect(await publish("kept", kept)).toBe(0);
    expect(await publish("yanked", yanked)).toBe(0);
    expect((await roux("yank", "alice/yanked@1.0.0")).status).toBe(0);
    // Refused by its check (no key `nope`): its dataset and recipe were uploaded, and no version names them.
    expect(await publish("refused", refused, "nope")).toBe(1);
    const stray = "uploaded, never published\n";
    const put = await fetch(`${tested.registry.url}/api/v1/blobs/${sha256Hex(stray)}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${tested.token}` },
      body: stray,
    });
    expect(put.status).toBe(201);
    const unnamed = [refused, recipeReading("nope"), stray].map((text) => ({
      file: `${sha256Hex(text).slice(0, 2)}/${sha256Hex(text)}`,
      size: Buffer.byteLength(text),
    }));
    unnamed.sort((a, b) => (a.file < b.file ? -1 : 1));
    const bytes = unnamed.reduce((sum, u) => sum + u.size, 0);

    // Within the grace period (an hour by default), nothing goes.
    const young = await tested.registry.admin(["gc"]);
    expect(young.status, young.stderr).toBe(0);
    expect(young.stdout).toBe("");
    expect(young.stderr).toBe("removed 0 files no version names, 0 bytes freed; kept 3 not named by any version but younger than 3600 s\n");

    const dry = await tested.registry.admin(["gc", "--grace-seconds", "0", "--dry-run"]);
    expect(dry.stdout).toBe(unnamed.map((u) => `would remove ${u.file}  ${u.size} bytes\n`).join(""));
    expect(dry.stderr).toBe(`would remove 3 files no version names, ${bytes} bytes would be freed\n`);
    expect(blobs.has(sha256Hex(stray))).toBe(true);

    const gc = await tested.registry.admin(["gc", "--grace-seconds", "0"]);
    expect(gc.status, gc.stderr).toBe(0);
    expect(gc.stdout).toBe(unnamed.map((u) => `removed ${u.file}  ${u.size} bytes\n`).join(""));
    expect(gc.stderr).toBe(`removed 3 files no version names, ${bytes} bytes freed\n`);
    for (const text of [refused, recipeReading("nope"), stray]) expect(blobs.has(sha256Hex(text))).toBe(false);
    for (const text of [kept, yanked, recipeReading("answer")]) expect(blobs.has(sha256Hex(text))).toBe(true);

    // The yanked version pulls, its files verified against its manifest.
    const pulled = await roux("pull", "--lock", path.join(tested.registry.dir, "roux.lock"), "alice/yanked@1.0.0");
    expect(pulled.status, pulled.stderr).toBe(0);
    expect(pulled.stderr).toContain("warning: alice/yanked@1.0.0 is yanked");
    const { dir } = cachedPackage("alice", "yanked", "1.0.0", tested.registry.env);
    expect(await readFile(path.join(dir, "train.jsonl"), "utf8")).toBe(yanked);
    expect(await readFile(path.join(dir, "main.recipe"), "utf8")).toBe(recipeReading("answer"));

    // Nothing left to collect.
    expect((await tested.registry.admin(["gc", "--grace-seconds", "0"])).stderr).toBe("removed 0 files no version names, 0 bytes freed\n");
  });

  it("refuses a grace period that is not a number of seconds", async () => {
    const wrong = await tested.registry.admin(["gc", "--grace-seconds", "soon"]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain("--grace-seconds takes a number of seconds, 0 or more, not `soon`");
  });
});

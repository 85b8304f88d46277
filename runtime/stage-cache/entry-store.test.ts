import { promises as fs } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../record/testing.js";
import { abandonedFolders, entryDir, listEntries, readEntry, storeEntry } from "./entry-store.js";
import { keyOf } from "./stage-key.js";

function info(material: Record<string, unknown>) {
  return {
    key: keyOf(material),
    material,
    recipe: "r",
    stage: "warmup",
    index: 0,
    seed: 1,
    created: "2026-12-07T00:00:00.000Z",
    checkpoint: "ckpt/warmup-000001.ckpt",
  };
}

describe("stage cache entries", () => {
  it("are stored whole, read back checked, and a second store of the same key leaves the first", async () => {
    const dir = tempDir();
    const entry = info({ seed: 1 });
    await storeEntry(dir, entry, [{ path: "ckpt/warmup-000001.ckpt", text: "first" }]);
    await storeEntry(dir, entry, [{ path: "ckpt/warmup-000001.ckpt", text: "second" }]);
    const read = await readEntry(dir, entry.key);
    expect(read.status).toBe("ok");
    expect(await fs.readFile(path.join(entryDir(dir, entry.key), "ckpt/warmup-000001.ckpt"), "utf8")).toBe("first");
    // Nothing left half-written beside it.
    expect(await fs.readdir(dir)).toEqual([entry.key]);
    expect((await listEntries(dir)).map((e) => e.key)).toEqual([entry.key]);
  });

  it("say why they cannot be used", async () => {
    const dir = tempDir();
    const entry = info({ seed: 2 });
    expect(await readEntry(dir, entry.key)).toEqual({ status: "absent" });
    await storeEntry(dir, entry, [{ path: "metrics.jsonl", text: "{}\n" }]);
    const json = path.join(entryDir(dir, entry.key), "entry.json");
    const stored = JSON.parse(await fs.readFile(json, "utf8"));
    await fs.writeFile(json, JSON.stringify({ ...stored, key: keyOf({ other: true }) }));
    expect(await readEntry(dir, entry.key)).toEqual({
      status: "invalid",
      reason: expect.stringMatching(/^its entry\.json names key [0-9a-f]{12}…, not its folder's$/),
    });
    await fs.writeFile(json, "{");
    expect(await readEntry(dir, entry.key)).toEqual({ status: "invalid", reason: "its entry.json is not JSON" });
    await fs.writeFile(json, JSON.stringify(stored));
    await fs.writeFile(path.join(entryDir(dir, entry.key), "metrics.jsonl"), "{}\n{}\n");
    expect(await readEntry(dir, entry.key)).toEqual({ status: "invalid", reason: "its file metrics.jsonl does not match its checksum" });
  });

  it("find the leftovers of dead writers only", async () => {
    const dir = tempDir();
    for (const name of [`.tmp-abc-${process.pid}-x`, ".tmp-abc-999999999-x", ".gone-abc-999999999-y", ".lock-999999999-z", "notes"])
      await fs.mkdir(path.join(dir, name));
    const alive = (pid: number) => pid === process.pid;
    expect((await abandonedFolders(dir, alive)).sort()).toEqual([".gone-abc-999999999-y", ".lock-999999999-z", ".tmp-abc-999999999-x"]);
  });
});

import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { storeEntry } from "../../runtime/stage-cache/entry-store.js";
import { keyOf } from "../../runtime/stage-cache/stage-key.js";
import { runCli } from "../../test/run-cli.js";

const stages = () => path.join(process.env.ROUX_CACHE!, "stages");

/** An entry of `bytes` bytes of checkpoint, for recipe `recipe`; returns its key. */
async function entry(recipe: string, seed: number, bytes: number): Promise<string> {
  const material = { recipe, seed };
  const key = keyOf(material);
  const info = { key, material, recipe, stage: "warmup", index: 0, seed, created: new Date().toISOString(), checkpoint: "ckpt/warmup-000006.ckpt" };
  await storeEntry(stages(), info, [{ path: "ckpt/warmup-000006.ckpt", text: "x".repeat(bytes) }]);
  return key;
}

/** Makes `keys` used in this order, the first the least recently (last used is entry.json's time). */
async function useInOrder(keys: readonly string[]): Promise<void> {
  for (const [i, key] of keys.entries()) {
    const at = new Date(Date.UTC(2026, 0, 1 + i));
    await fs.utimes(path.join(stages(), key, "entry.json"), at, at);
  }
}

describe("roux cache", () => {
  it("ls lists the entries, least recently used first, and says when there are none", async () => {
    const empty = await runCli(["cache", "ls"]);
    expect(empty.stdout).toBe(`the stage cache ${stages()} is empty\n`);
    const a = await entry("grpo", 17, 100);
    const b = await entry("prof", 18, 200);
    await useInOrder([b, a]);
    const r = await runCli(["cache", "ls"]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^key +recipe +stage +seed +size +last used$/);
    expect(lines[1]).toMatch(new RegExp(`^${b.slice(0, 12)}  prof +warmup \\(1\\)  18 +\\d+ B +2026-01-01 00:00:00$`));
    expect(lines[2]).toMatch(new RegExp(`^${a.slice(0, 12)}  grpo +warmup \\(1\\)  17 +\\d+ B +2026-01-02 00:00:00$`));
    expect(lines[3]).toMatch(/^2 entries, /);
  });

  it("gc removes the least recently used entries until the cache fits, and rm removes entries by key prefix", async () => {
    const old = await entry("a", 1, 1000);
    const mid = await entry("b", 2, 1000);
    const recent = await entry("c", 3, 1000);
    await useInOrder([old, mid, recent]);
    // Room for two entries (each is its checkpoint and its entry.json): the oldest goes.
    const gc = await runCli(["cache", "gc", "--max-bytes", "3000"]);
    expect(gc.status, gc.stderr).toBe(0);
    expect(gc.stdout).toMatch(new RegExp(`^removed ${old.slice(0, 12)} \\(a, stage warmup, `));
    expect([old, mid, recent].map((k) => existsSync(path.join(stages(), k)))).toEqual([false, true, true]);

    const unknown = await runCli(["cache", "rm", "ffff", mid.slice(0, 8)]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("no entry of the stage cache has a key starting `ffff`");
    // A mistyped key removes nothing, not even the others named.
    expect(existsSync(path.join(stages(), mid))).toBe(true);
    const rm = await runCli(["cache", "rm", mid.slice(0, 8)]);
    expect(rm.status, rm.stderr).toBe(0);
    expect(existsSync(path.join(stages(), mid))).toBe(false);
    expect(existsSync(path.join(stages(), recent))).toBe(true);
  });

  it("refuses what is not a cache action, and a size that is not a number", async () => {
    expect((await runCli(["cache", "clean"])).status).toBe(2);
    expect((await runCli(["cache", "ls", "--max-bytes", "5"])).status).toBe(2);
    const bad = await runCli(["cache", "gc", "--max-bytes", "lots"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("lots is not a size in bytes");
  });
});

import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLock, formatLock, readLock } from "./lock.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "roux-lock-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const HASH = "ab".repeat(32);

describe("roux.lock", () => {
  it("is found in the recipe's folder or the nearest one above it", async () => {
    const project = path.join(dir, "project");
    await mkdir(path.join(project, "recipes", "lab"), { recursive: true });
    await writeFile(path.join(project, "roux.lock"), formatLock({ modules: {} }));
    expect(findLock(path.join(project, "recipes", "lab"))).toBe(path.join(project, "roux.lock"));
    expect(findLock(path.join(dir))).toBeUndefined();
  });

  it("writes its modules sorted, and reads back what it wrote", async () => {
    const lock = { modules: { "zed/b@1.0.0": { sha256: HASH, registry: "http://r" }, "alice/a@2.0.0": { sha256: HASH, registry: "http://r" } } };
    const text = formatLock(lock);
    expect(text.indexOf("alice/a@2.0.0")).toBeLessThan(text.indexOf("zed/b@1.0.0"));
    const file = path.join(dir, "written.lock");
    await writeFile(file, text);
    expect(readLock(file)).toEqual({ ok: true, file, lock });
  });

  it("says what is wrong with a lock it cannot use", async () => {
    const cases: [string, RegExp][] = [
      ["{", /JSON/],
      ["[]", /no `modules` object/],
      [JSON.stringify({ modules: { "a/b@1.0.0": { sha256: "short" } } }), /`a\/b@1.0.0` has no sha256 of 64 hex digits/],
    ];
    for (const [text, reason] of cases) {
      const file = path.join(dir, "bad.lock");
      await writeFile(file, text);
      const read = readLock(file);
      expect(read.ok).toBe(false);
      if (!read.ok) expect(read.reason).toMatch(reason);
    }
  });
});

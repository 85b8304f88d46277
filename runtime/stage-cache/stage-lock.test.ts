import { existsSync, promises as fs } from "node:fs";
import { describe, expect, it } from "vitest";
import { deadPid, tempDir } from "../record/testing.js";
import { lockFile, tryLock, waitWhileLocked } from "./stage-lock.js";

const KEY = "a".repeat(64);

describe("stage locks", () => {
  it("are held by one process at a time, naming it, until released", async () => {
    const dir = tempDir();
    const first = await tryLock(dir, KEY);
    if (!("held" in first)) throw new Error("the first attempt must take the lock");
    expect(await fs.readFile(lockFile(dir, KEY), "utf8")).toBe(`${process.pid}\n`);
    expect(await tryLock(dir, KEY)).toEqual({ holder: process.pid });
    await first.held.release();
    expect(existsSync(lockFile(dir, KEY))).toBe(false);
    await waitWhileLocked(dir, KEY);
    expect("held" in (await tryLock(dir, KEY))).toBe(true);
  });

  it("are taken over when their process is gone or the file names none", async () => {
    for (const stale of [`${await deadPid()}\n`, "", "not a pid\n"]) {
      const dir = tempDir();
      await fs.writeFile(lockFile(dir, KEY), stale);
      await waitWhileLocked(dir, KEY);
      const attempt = await tryLock(dir, KEY);
      expect("held" in attempt).toBe(true);
      expect(await fs.readFile(lockFile(dir, KEY), "utf8")).toBe(`${process.pid}\n`);
    }
  });

  it("stop a wait when the run is stopped", async () => {
    const dir = tempDir();
    await tryLock(dir, KEY);
    const controller = new AbortController();
    controller.abort();
    await waitWhileLocked(dir, KEY, controller.signal);
    expect(existsSync(lockFile(dir, KEY))).toBe(true);
  });
});

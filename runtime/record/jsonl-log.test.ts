import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JsonlLog, readJsonl, rewriteJsonl } from "./jsonl-log.js";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "roux-jsonl-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("JSONL logs", () => {
  it("append whole lines that a reader gets back in order, across reopenings", async () => {
    const file = path.join(dir, "m.jsonl");
    const log = new JsonlLog(file);
    log.append({ step: 1, loss: 0.5 });
    log.append({ step: 2, loss: 0.25 });
    log.close();
    const again = new JsonlLog(file);
    again.append({ step: 3, note: "line\nbreak" });
    again.close();
    const read = await readJsonl(file);
    expect(read.records).toEqual([
      { step: 1, loss: 0.5 },
      { step: 2, loss: 0.25 },
      { step: 3, note: "line\nbreak" },
    ]);
    expect(read.tornTail).toBe(false);
  });

  it("report a torn last line and bad lines instead of failing, and a rewrite drops them", async () => {
    const file = path.join(dir, "m.jsonl");
    await fs.writeFile(file, '{"step":1}\n[1,2]\n{"step":2}\n{"step":3,"lo');
    const read = await readJsonl(file);
    expect(read.records).toEqual([{ step: 1 }, { step: 2 }]);
    expect(read.tornTail).toBe(true);
    expect(read.badLines).toEqual([2]);
    expect(await rewriteJsonl(file, (r) => Number(r.step) <= 1)).toEqual({ kept: 1, dropped: 1, badLines: [2] });
    expect(await fs.readFile(file, "utf8")).toBe('{"step":1}\n');
  });
});

import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JsonlFollower } from "./jsonl-follow.js";
import { JsonlLog, rewriteJsonl } from "./jsonl-log.js";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "roux-follow-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("following a JSONL file", () => {
  it("returns only the lines written since the last read", async () => {
    const file = path.join(dir, "m.jsonl");
    const log = new JsonlLog(file);
    const follower = new JsonlFollower(file);
    log.append({ step: 1 });
    log.append({ step: 2 });
    expect((await follower.read()).records).toEqual([{ step: 1 }, { step: 2 }]);
    expect((await follower.read()).records).toEqual([]);
    log.append({ step: 3 });
    expect((await follower.read()).records).toEqual([{ step: 3 }]);
    log.close();
  });

  it("reads nothing from a file not written yet", async () => {
    const read = await new JsonlFollower(path.join(dir, "none.jsonl")).read();
    expect(read).toEqual({ records: [], badLines: [], restarted: false });
  });

  it("holds a line back until its newline arrives, even one cut inside a character", async () => {
    const file = path.join(dir, "m.jsonl");
    const follower = new JsonlFollower(file);
    const line = Buffer.from(`${JSON.stringify({ note: "μ→0" })}\n`);
    const cut = line.indexOf(Buffer.from("→")) + 1;
    await fs.writeFile(file, line.subarray(0, cut));
    expect((await follower.read()).records).toEqual([]);
    await fs.appendFile(file, line.subarray(cut));
    expect((await follower.read()).records).toEqual([{ note: "μ→0" }]);
  });

  it("skips lines that are not JSON objects, by line number", async () => {
    const file = path.join(dir, "m.jsonl");
    const follower = new JsonlFollower(file);
    await fs.writeFile(file, '{"step":1}\nnot json\n');
    expect(await follower.read()).toEqual({ records: [{ step: 1 }], badLines: [2], restarted: false });
    await fs.appendFile(file, '[1,2]\n\n{"step":2}\n');
    expect(await follower.read()).toEqual({ records: [{ step: 2 }], badLines: [3], restarted: false });
  });

  it("starts again from the top of a file that was rewritten", async () => {
    const file = path.join(dir, "m.jsonl");
    const follower = new JsonlFollower(file);
    await fs.writeFile(file, '{"step":1}\n{"step":2}\n{"step":3}\n');
    await follower.read();
    await rewriteJsonl(file, (r) => (r.step as number) <= 1);
    expect(await follower.read()).toEqual({ records: [{ step: 1 }], badLines: [], restarted: true });
  });
});

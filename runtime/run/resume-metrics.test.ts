import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readJsonl } from "../record/jsonl-log.js";
import { cutMetricsTo } from "./resume-metrics.js";

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "roux-cut-"));
  file = path.join(dir, "metrics.jsonl");
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const line = (stage: string, step: number) => `${JSON.stringify({ stage, step, loss: step / 10 })}\n`;
const stages = [
  { name: "sft", steps: 4 },
  { name: "rl", steps: 30 },
];
const steps = async () => (await readJsonl(file)).records.map((r) => `${r.stage}:${r.step}`);

describe("metrics cut to a resumed run's checkpoint", () => {
  it("drop the lines after the checkpoint and keep the rest, saying nothing when nothing is missing", async () => {
    await fs.writeFile(file, [1, 2, 3, 4].map((s) => line("sft", s)).join("") + [1, 2, 3].map((s) => line("rl", s)).join(""));
    const cut = await cutMetricsTo(file, stages, { stage: 1, stageName: "rl", step: 2 });
    expect(cut).toEqual({ dropped: 1, warnings: [] });
    expect(await steps()).toEqual(["sft:1", "sft:2", "sft:3", "sft:4", "rl:1", "rl:2"]);
  });

  it("name the steps before the checkpoint that have no line, and a garbled line they dropped", async () => {
    // Cut to a few lines by hand, a garbled line among them; the checkpoint is at rl step 15.
    await fs.writeFile(file, `${line("sft", 1) + line("sft", 2)}{not json\n${line("sft", 4)}${[1, 2, 3].map((s) => line("rl", s)).join("")}`);
    const cut = await cutMetricsTo(file, stages, { stage: 1, stageName: "rl", step: 15 });
    expect(cut.dropped).toBe(0);
    expect(cut.warnings).toEqual([
      "metrics.jsonl: dropped line 3, not a JSON object",
      "metrics.jsonl has no line for stage `sft` step 3, before the checkpoint: those steps are not run again, so the record has a gap there",
      "metrics.jsonl has no line for stage `rl` step 4-15, before the checkpoint: those steps are not run again, so the record has a gap there",
    ]);
    expect(await fs.readFile(file, "utf8")).not.toContain("not json");
  });

  it("start a missing file again, saying so and naming the steps it lacks", async () => {
    const cut = await cutMetricsTo(file, stages, { stage: 0, stageName: "sft", step: 2 });
    expect(cut.warnings).toEqual([
      "metrics.jsonl is missing; it is started again empty",
      "metrics.jsonl has no line for stage `sft` step 1-2, before the checkpoint: those steps are not run again, so the record has a gap there",
    ]);
    expect(await fs.readFile(file, "utf8")).toBe("");
  });
});

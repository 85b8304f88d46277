import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RunDirectoryError } from "./plan-file.js";
import { readRun } from "./read-run.js";
import { evalEvent, rlMetrics, STAGES, tempDir, writeRun } from "./testing.js";

describe("readRun", () => {
  it("keeps the last line of each step of a resumed run, and skips a torn last line", async () => {
    const parent = tempDir();
    writeRun(parent, "resumed", {
      recipe: "arith_grpo",
      events: [{ event: "run_start", time: 0, stages: STAGES }],
      // Killed after step 3 with a checkpoint at 2: steps 3 is written again after the resume.
      metrics: [rlMetrics(1, 1, 0.1), rlMetrics(2, 2, 0.2), rlMetrics(3, 3, 0.3), rlMetrics(13, 3, 0.35), rlMetrics(14, 4, 0.4)],
      tornMetrics: '{"stage":"rl","step":5,"ti',
      tornEvents: '{"event":"run_e',
    });
    const run = await readRun("resumed", parent);
    expect(run.metrics.map((m) => [m.step, m.reward])).toEqual([
      [1, 0.1],
      [2, 0.2],
      [3, 0.35],
      [4, 0.4],
    ]);
    expect(run.events.map((e) => e.event)).toEqual(["run_start"]);
    expect(run.warnings).toEqual([]);
    expect(run).toMatchObject({ given: "resumed", name: "resumed", recipe: "arith_grpo" });
  });

  it("warns of a whole line that is not a record, and leaves it out", async () => {
    const dir = writeRun(tempDir(), "noisy", { recipe: "r", events: [{ event: "run_start", time: 0, stages: STAGES }] });
    writeFileSync(path.join(dir, "events.jsonl"), `not json\n${JSON.stringify({ event: "run_end", time: 1, status: "done" })}\n[1]\n`);
    const run = await readRun(dir, "/");
    expect(run.events.map((e) => e.event)).toEqual(["run_end"]);
    expect(run.warnings).toEqual([`${path.join(dir, "events.jsonl")}: skipped line 1, 3, not a JSON object`]);
  });

  it("reads the answers the last eval names", async () => {
    const file = "evals/rl-000006-test.jsonl";
    const answer = { prompt: "p", response: "r", tokens: 3, steps: 1, rewards: { "lab.steps": [1] } };
    const dir = writeRun(tempDir(), "run", {
      recipe: "r",
      events: [evalEvent(1, "rl", 3, { correct: 0 }, { answers: "evals/old.jsonl" }), evalEvent(2, "rl", 6, { correct: 1 }, { answers: file })],
      answers: { [file]: [answer, answer] },
    });
    expect((await readRun(dir, "/")).lastAnswers).toEqual([answer, answer]);
  });

  it("refuses a path that is not a run directory, naming it as given", async () => {
    const parent = tempDir();
    await expect(readRun("gone", parent)).rejects.toThrow(new RunDirectoryError("gone is not a run directory: it does not exist"));
    writeFileSync(path.join(parent, "file"), "");
    await expect(readRun("file", parent)).rejects.toThrow(new RunDirectoryError("file is not a run directory: it is a file"));
    const dir = writeRun(parent, "bad-plan", { recipe: "r", events: [] });
    writeFileSync(path.join(dir, "plan.json"), "{}");
    await expect(readRun("bad-plan", parent)).rejects.toThrow(/plan\.json is not a valid plan/);
  });
});

import { describe, expect, it } from "vitest";
import type { LoggedEvent } from "../../runtime/record/read-run.js";
import type { MetricsRecord } from "../../runtime/record/events.js";
import { wallSeconds } from "./wall.js";

const start = (time: number, stage: string): LoggedEvent => ({ event: "stage_start", time, stage, kind: "rl", steps: 10 });
const end = (time: number, stage: string, seconds: number): LoggedEvent => ({ event: "stage_end", time, stage, steps: 10, seconds });
const step = (time: number): MetricsRecord => ({ stage: "rl", step: 1, time });

describe("wallSeconds", () => {
  it("adds the stages' own seconds, not the gaps between them", () => {
    expect(wallSeconds([start(0, "a"), end(50, "a", 49.5), start(60, "b"), end(100, "b", 40), { event: "run_end", time: 130, status: "done" }], [])).toBe(89.5);
  });

  it("counts an unfinished stage up to the run_end, or to the last record", () => {
    expect(wallSeconds([start(0, "a"), end(10, "a", 10), start(10, "b"), { event: "run_end", time: 25, status: "stopped" }], [step(40)])).toBe(25);
    expect(wallSeconds([start(0, "a"), end(10, "a", 10), start(10, "b")], [step(12), step(31)])).toBe(31);
  });

  it("leaves out a stage taken from the stage cache: its time was spent by another run", () => {
    const events: LoggedEvent[] = [
      { event: "run_start", time: 1000, recipe: "r", hash: "h", dir: "d", backend: "wasm", sampler: "onnx", stages: [] },
      start(0, "a"),
      end(300, "a", 300),
      { event: "stage_cached", time: 1001, stage: "a", key: "k" },
      start(1001, "b"),
      end(1041, "b", 40),
      { event: "run_end", time: 1042, status: "done" },
    ];
    expect(wallSeconds(events, [])).toBe(40);
  });

  it("counts a stage killed and resumed in two stretches: to the last record before the resume, then from it", () => {
    const from = { stage: 0, stageName: "a", step: 2 };
    const events: LoggedEvent[] = [
      start(0, "a"),
      { event: "checkpoint", time: 20, stage: "a", step: 2, file: "x" },
      { event: "resume", time: 500, from, checkpoint: "x", droppedMetrics: 1, stages: [] },
      end(530, "a", 30),
      { event: "run_end", time: 531, status: "done" },
    ];
    expect(wallSeconds(events, [step(10), step(20), step(25), step(510)])).toBe(25 + 30);
  });
});

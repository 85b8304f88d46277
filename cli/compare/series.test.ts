import { describe, expect, it } from "vitest";
import type { LoggedEvent } from "../../runtime/record/read-run.js";
import { rlMetrics, STAGES } from "../../runtime/record/testing.js";
import { curvesOf, StepAxis } from "./series.js";

describe("curvesOf", () => {
  const events: LoggedEvent[] = [{ event: "run_start", time: 0, recipe: "r", hash: "h", dir: "d", backend: "b", sampler: "s", stages: STAGES }];

  it("puts each stage's steps after the steps of the stages before it, and marks where a later stage begins", () => {
    const axis = new StepAxis(events);
    expect([axis.at("warmup", 4), axis.at("rl", 1), axis.at("other", 1)]).toEqual([4, 5, undefined]);
    expect(axis.marks).toEqual([{ x: 4, stage: "rl" }]);
    const evals = [
      { stage: "warmup", step: 4, accuracy: 0.2 },
      { stage: "rl", step: 6, accuracy: 0.4 },
      // Evaluated again after a resume: the later value stands.
      { stage: "rl", step: 6, accuracy: 0.45 },
      { stage: "rl", step: 3, accuracy: undefined },
    ];
    const curves = curvesOf(axis, [rlMetrics(1, 2, 0.5), rlMetrics(2, 1, 0.25), { stage: "warmup", step: 1, time: 0, loss: 1 }], evals);
    expect(curves.accuracy).toEqual([
      { x: 4, y: 0.2 },
      { x: 10, y: 0.45 },
    ]);
    expect(curves.reward).toEqual([
      { x: 5, y: 0.25 },
      { x: 6, y: 0.5 },
    ]);
    expect(curves.response_tokens.map((p) => p.y)).toEqual([21, 22]);
  });
});

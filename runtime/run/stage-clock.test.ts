import { describe, expect, it } from "vitest";
import { stepExamples } from "./stage-clock.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("stepExamples", () => {
  it("covers every example once per epoch, the last step taking what is left", () => {
    const steps = [0, 1, 2, 3].map((s) => stepExamples(range(10), 3, s, 17, 0, "order"));
    expect(steps.map((s) => s.length)).toEqual([3, 3, 3, 1]);
    expect(steps.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("is a function of seed, stage and step alone, and reshuffles each epoch", () => {
    expect(stepExamples(range(50), 5, 13, 17, 1, "order")).toEqual(stepExamples(range(50), 5, 13, 17, 1, "order"));
    const epoch0 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((s) => stepExamples(range(50), 5, s, 17, 1, "order"));
    const epoch1 = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19].flatMap((s) => stepExamples(range(50), 5, s, 17, 1, "order"));
    expect(epoch0).not.toEqual(epoch1);
    expect([...epoch1].sort((a, b) => a - b)).toEqual([...epoch0].sort((a, b) => a - b));
    expect(stepExamples(range(50), 5, 3, 18, 1, "order")).not.toEqual(stepExamples(range(50), 5, 3, 17, 1, "order"));
    expect(stepExamples(range(50), 5, 3, 17, 2, "order")).not.toEqual(stepExamples(range(50), 5, 3, 17, 1, "order"));
  });
});

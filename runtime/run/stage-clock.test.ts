import { describe, expect, it } from "vitest";
import { refillExamples, stepExamples } from "./stage-clock.js";

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

describe("refillExamples", () => {
  it("reads examples the step's first round did not, different ones each round, until the data runs out", () => {
    const first = stepExamples(range(20), 4, 2, 17, 0, "order");
    const rounds = [1, 2, 3, 4].map((r) => refillExamples(range(20), first, 4, r, 2, 17, 0));
    expect(rounds.map((r) => r.length)).toEqual([4, 4, 4, 4]);
    const read = rounds.flat();
    expect(read.filter((e) => first.includes(e))).toEqual([]);
    expect(new Set(read).size).toBe(16);
    // The 16 unread examples are used up: round 5 starts over on the same order.
    expect(refillExamples(range(20), first, 4, 5, 2, 17, 0)).toEqual(rounds[0]);
  });

  it("is a function of seed, stage and step alone: the same for a resumed run, another for another step", () => {
    const first = stepExamples(range(50), 5, 3, 17, 1, "order");
    expect(refillExamples(range(50), first, 5, 1, 3, 17, 1)).toEqual(refillExamples(range(50), [...first], 5, 1, 3, 17, 1));
    expect(refillExamples(range(50), first, 5, 1, 4, 17, 1)).not.toEqual(refillExamples(range(50), first, 5, 1, 3, 17, 1));
    expect(refillExamples(range(50), first, 5, 1, 3, 18, 1)).not.toEqual(refillExamples(range(50), first, 5, 1, 3, 17, 1));
  });

  it("reads the first round's examples again when the data holds no others", () => {
    expect(refillExamples(range(3), [0, 1, 2], 3, 1, 0, 17, 0).sort()).toEqual([0, 1, 2]);
  });
});

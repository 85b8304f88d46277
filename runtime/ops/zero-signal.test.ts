import { describe, expect, it } from "vitest";
import { f32 } from "./testing.js";
import { zeroSignalFraction, zeroSignalGroups } from "./zero-signal.js";

describe("zeroSignalGroups", () => {
  it("flags the groups whose scores all agree, on a hand-made batch of 4 groups of 3", () => {
    const scores = f32([
      ...[1, 1, 1], // all correct: no signal
      ...[0, 1, 0], // mixed
      ...[0, 0, 0], // all wrong: no signal
      ...[0.5, 0.5, 0.25], // continuous scores, one differs
    ]);
    const zero = zeroSignalGroups(scores, 3);
    expect(Array.from(zero)).toEqual([1, 0, 1, 0]);
    expect(zeroSignalFraction(zero)).toBe(0.5);
  });

  it("compares exactly: scores a float32 step apart carry a signal", () => {
    const a = Math.fround(0.1);
    const next = new Float32Array(new Uint32Array([new Uint32Array(f32([a]).buffer)[0]! + 1]).buffer)[0]!;
    expect(Array.from(zeroSignalGroups(f32([a, next]), 2))).toEqual([0]);
    expect(Array.from(zeroSignalGroups(f32([a, a]), 2))).toEqual([1]);
  });

  it("never counts a NaN score as agreeing, so a broken score is not dropped as uninformative", () => {
    expect(Array.from(zeroSignalGroups(f32([Number.NaN, Number.NaN, 1, 1]), 2))).toEqual([0, 1]);
  });

  it("counts every group of one response as zero-signal", () => {
    expect(Array.from(zeroSignalGroups(f32([0, 1, 0.5]), 1))).toEqual([1, 1, 1]);
  });

  it("refuses scores that do not split into whole groups, and reports 0 for no groups", () => {
    expect(() => zeroSignalGroups(f32([1, 1, 1]), 2)).toThrow(/3 values do not split into groups of 2/);
    expect(zeroSignalFraction(zeroSignalGroups(f32([]), 4))).toBe(0);
  });
});

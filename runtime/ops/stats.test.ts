import { describe, expect, it } from "vitest";
import { groupMoments, oneValuePerRow, rowSums, tokenMoments } from "./stats.js";
import { approx, f32, rolloutsFromSteps } from "./testing.js";

describe("groupMoments", () => {
  it("gives the mean and the unbiased std per group", () => {
    // group 0: 1 2 3 4 -> mean 2.5, squares 2.25 + 0.25 + 0.25 + 2.25 = 5, std sqrt(5 / 3)
    // group 1: 5 5 5 5 -> mean 5, std 0
    const m = groupMoments(f32([1, 2, 3, 4, 5, 5, 5, 5]), oneValuePerRow(8), 4, new Uint8Array(8).fill(1));
    expect(Array.from(m.mean)).toEqual([2.5, 5]);
    expect(Array.from(m.std)).toEqual(approx([Math.sqrt(5 / 3), 0], 12));
    expect(Array.from(m.keptRows)).toEqual([4, 4]);
  });

  it("leaves dropped rows out", () => {
    // kept 1, 3, 4 -> mean 8/3, squares 25/9 + 1/9 + 16/9 = 42/9, std sqrt(42/9 / 2) = sqrt(7/3)
    const m = groupMoments(f32([1, 2, 3, 4]), oneValuePerRow(4), 4, Uint8Array.from([1, 0, 1, 1]));
    expect(m.mean[0]).toBeCloseTo(8 / 3, 12);
    expect(m.std[0]).toBeCloseTo(Math.sqrt(7 / 3), 12);
    expect(m.keptRows[0]).toBe(3);
  });

  it("pools every value of a row when rows own several (step rewards)", () => {
    // row 0 owns 1, 0; row 1 owns 0.5 -> mean 0.5, squares 0.25 + 0.25 + 0 = 0.5, std sqrt(0.25)
    const m = groupMoments(f32([1, 0, 0.5]), Int32Array.from([0, 2, 3]), 2, Uint8Array.from([1, 1]));
    expect(m.mean[0]).toBe(0.5);
    expect(m.std[0]).toBe(0.5);
  });

  it("gives std 0 below two values instead of dividing by zero", () => {
    const m = groupMoments(f32([3]), oneValuePerRow(1), 1, Uint8Array.from([1]));
    expect(m.mean[0]).toBe(3);
    expect(m.std[0]).toBe(0);
  });
});

describe("rowSums", () => {
  it("sums each row's slice, 0 for an empty row", () => {
    expect(Array.from(rowSums(f32([1, 2, 3, 4]), Int32Array.from([0, 3, 3, 4])))).toEqual([6, 0, 4]);
  });
});

describe("tokenMoments", () => {
  it("reads only masked tokens of kept rows", () => {
    // rows: [1 2 | 3 100] mask 1 1 | 1 0, plus a dropped row holding 50
    // counted: 1 2 3 -> mean 2, squares 1 + 0 + 1 = 2, variance 2 / 2 = 1
    const r = rolloutsFromSteps(3, [[2], [2], [1]], [[1, 1], [1, 0], [1]]);
    const m = tokenMoments(f32([1, 2, 3, 100, 50]), { ...r, kept: Uint8Array.from([1, 1, 0]) });
    expect(m).toEqual({ mean: 2, variance: 1, count: 3 });
  });
});

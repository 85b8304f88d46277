import { describe, expect, it } from "vitest";
import { applyBaseline, countSingletons, type RowBaseline } from "./baseline.js";
import { f32 } from "./testing.js";

describe("applyBaseline", () => {
  it("maps each row's slice through (x - shift_i) * invScale_i", () => {
    // row 0 owns 3, 5: (3 - 1) * 2 = 4, (5 - 1) * 2 = 8; row 1 owns nothing; row 2 owns 7: (7 - 7) * 9 = 0
    // row 3 is dropped (invScale 0): 100 -> 0
    const b: RowBaseline = {
      shift: Float64Array.from([1, 0, 7, 0]),
      invScale: Float64Array.from([2, 1, 9, 0]),
      singletonGroups: 0,
    };
    expect(Array.from(applyBaseline(f32([3, 5, 7, 100]), Int32Array.from([0, 2, 2, 3, 4]), b))).toEqual([4, 8, 0, 0]);
  });
});

describe("countSingletons", () => {
  it("counts groups with exactly one kept row", () => {
    expect(countSingletons(Int32Array.from([1, 0, 2, 1, 4]))).toBe(2);
  });
});

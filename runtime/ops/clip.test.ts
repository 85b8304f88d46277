import { describe, expect, it } from "vitest";
import { clip, threshold } from "./clip.js";
import { f32 } from "./testing.js";

describe("clip", () => {
  it("clamps every value to [lo, hi] and leaves its input alone", () => {
    const values = f32([-2, -0.5, 0, 0.5, 3]);
    expect(Array.from(clip(values, -1, 1))).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(Array.from(values)).toEqual([-2, -0.5, 0, 0.5, 3]);
  });

  it("keeps NaN, and accepts lo = hi", () => {
    expect(Array.from(clip(f32([NaN, 2]), 0, 1))).toEqual([NaN, 1]);
    expect(Array.from(clip(f32([-1, 5]), 0.5, 0.5))).toEqual([0.5, 0.5]);
  });

  it("refuses lo > hi", () => {
    expect(() => clip(f32([0]), 1, 0)).toThrow(/lo must be <= hi/);
  });
});

describe("threshold", () => {
  it("gives 1 at or above t, 0 below and for NaN", () => {
    expect(Array.from(threshold(f32([0.2, 0.5, 0.7, NaN]), 0.5))).toEqual([0, 1, 1, 0]);
  });

  it("compares at float32 precision: a score of 0.7 reaches t = 0.7", () => {
    // Math.fround(0.7) = 0.699999988079071 < 0.7 as doubles; t is rounded the same way.
    expect(Array.from(threshold(f32([0.7, 0.1]), 0.7))).toEqual([1, 0]);
    // The float32 just below 0.7 (its bit pattern minus one) stays below.
    const below = new Float32Array(new Int32Array(f32([0.7]).buffer).map((bits) => bits - 1).buffer);
    expect(below[0]).toBeLessThan(Math.fround(0.7));
    expect(Array.from(threshold(below, 0.7))).toEqual([0]);
  });
});

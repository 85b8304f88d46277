import { describe, expect, it } from "vitest";
import { applyBaseline } from "./baseline.js";
import { mulberry32 } from "./rng.js";
import { rlooBaseline, rlooStepBaseline } from "./rloo.js";
import { approx, f32, outcomeAdvantages, rolloutsFromSteps } from "./testing.js";

const all = (n: number): Uint8Array => new Uint8Array(n).fill(1);

// A_i = s_i - mean_{j != i} s_j, the outcome credit path of the pipeline.
function rlooAdvantages(values: Float32Array, groupSize: number, kept: Uint8Array) {
  const b = rlooBaseline(values, groupSize, kept);
  return { advantages: outcomeAdvantages(values, b), singletonGroups: b.singletonGroups };
}

describe("rlooBaseline on outcomes", () => {
  it("subtracts the mean of the other responses", () => {
    // A_0 = 1 - (0 + 0 + 1) / 3 = 2/3; A_1 = 0 - (1 + 0 + 1) / 3 = -2/3
    const { advantages } = rlooAdvantages(f32([1, 0, 0, 1]), 4, all(4));
    expect(Array.from(advantages)).toEqual(approx([2 / 3, -2 / 3, -2 / 3, 2 / 3]));
  });

  it("leaves dropped rows out of the others' mean and gives them 0", () => {
    // kept 1, 0, 0: A_0 = 1 - 0 = 1; A_1 = 0 - (1 + 0) / 2 = -0.5
    const { advantages } = rlooAdvantages(f32([1, 0, 5, 0]), 4, Uint8Array.from([1, 1, 0, 1]));
    expect(Array.from(advantages)).toEqual([1, -0.5, 0, -0.5]);
  });

  it("gives exactly 0 to equal rewards", () => {
    const { advantages } = rlooAdvantages(f32([0.3, 0.3, 0.3]), 3, all(3));
    expect(Array.from(advantages)).toEqual([0, 0, 0]);
  });

  it("gives a row alone in its group 0 and counts it", () => {
    const { advantages, singletonGroups } = rlooAdvantages(f32([1, 0, 0.5, 0.5]), 2, Uint8Array.from([1, 0, 1, 1]));
    expect(Array.from(advantages)).toEqual([0, 0, 0, 0]);
    expect(singletonGroups).toBe(1);
  });

  it("throws on an empty group", () => {
    expect(() => rlooAdvantages(f32([1]), 0, all(1))).toThrow(/empty group/);
  });

  it("equals n/(n-1) (s - mean) and sums to zero per group (property)", () => {
    const rng = mulberry32(11);
    const G = 6;
    const values = f32(Array.from({ length: 30 * G }, () => rng() * 2 - 1));
    const { advantages } = rlooAdvantages(values, G, all(values.length));
    for (let g = 0; g < 30; g++) {
      const group = Array.from(values.subarray(g * G, (g + 1) * G));
      const a = Array.from(advantages.subarray(g * G, (g + 1) * G));
      const mean = group.reduce((m, x) => m + x / G, 0);
      group.forEach((x, j) => {
        expect(a[j]).toBeCloseTo((G / (G - 1)) * (x - mean), 5);
      });
      expect(Math.abs(a.reduce((s, x) => s + x, 0))).toBeLessThan(1e-5);
    }
  });
});

describe("rlooStepBaseline", () => {
  it("subtracts the other responses' mean step reward from every step (PURE)", () => {
    // row 0: steps 1, 0.5 -> o/K = 0.75; row 1: step 0.2 -> 0.2
    // b_0 = 0.2 -> 0.8, 0.3; b_1 = 0.75 -> -0.55
    const r = rolloutsFromSteps(2, [[1, 1], [1]]);
    const steps = f32([1, 0.5, 0.2]);
    expect(Array.from(applyBaseline(steps, r.stepOffsets, rlooStepBaseline(steps, r)))).toEqual(approx([0.8, 0.3, -0.55]));
  });

  it("counts an empty response's mean step reward as 0", () => {
    // o/K: row 0 = 1, row 1 (empty) = 0, row 2 = 0.5
    // b_0 = (0 + 0.5) / 2 = 0.25 -> 0.75; b_2 = (1 + 0) / 2 = 0.5 -> 0, 0
    const r = rolloutsFromSteps(3, [[1], [], [1, 1]]);
    const steps = f32([1, 0.5, 0.5]);
    expect(Array.from(applyBaseline(steps, r.stepOffsets, rlooStepBaseline(steps, r)))).toEqual([0.75, 0, 0]);
  });
});

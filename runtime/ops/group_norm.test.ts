import { describe, expect, it } from "vitest";
import { applyBaseline } from "./baseline.js";
import { groupNormBaseline, groupNormStepBaseline, type GroupNormOptions } from "./group_norm.js";
import { mulberry32 } from "./rng.js";
import { approx, f32, outcomeAdvantages, rolloutsFromSteps } from "./testing.js";

const all = (n: number): Uint8Array => new Uint8Array(n).fill(1);

// The recipe's defaults for `group_norm`: std on, eps 1e-6.
const defaults: GroupNormOptions = { std: true, eps: 1e-6 };

// A_i = (s_i - mean_g) / (std_g + eps), the outcome credit path of the pipeline.
function groupNormAdvantages(values: Float32Array, groupSize: number, kept: Uint8Array, options = defaults) {
  const b = groupNormBaseline(values, groupSize, kept, options);
  return { advantages: outcomeAdvantages(values, b), singletonGroups: b.singletonGroups };
}

describe("groupNormBaseline on outcomes", () => {
  it("normalises by the group's mean and unbiased std plus eps", () => {
    // s = 1 0 0 0: mean 0.25; squares 0.5625 + 3 * 0.0625 = 0.75; var 0.75 / 3 = 0.25; std 0.5
    // A = 0.75 / 0.500001 = 1.4999970, -0.25 / 0.500001 = -0.4999990
    const { advantages, singletonGroups } = groupNormAdvantages(f32([1, 0, 0, 0]), 4, all(4));
    expect(Array.from(advantages)).toEqual(approx([0.75 / 0.500001, -0.25 / 0.500001, -0.25 / 0.500001, -0.25 / 0.500001]));
    expect(singletonGroups).toBe(0);
  });

  it("only subtracts the mean when std = false (Dr. GRPO)", () => {
    const { advantages } = groupNormAdvantages(f32([1, 0, 0, 0]), 4, all(4), { std: false, eps: 1e-6 });
    expect(Array.from(advantages)).toEqual([0.75, -0.25, -0.25, -0.25]);
  });

  it("gives exactly 0 to a group of equal rewards", () => {
    const { advantages } = groupNormAdvantages(f32([0.7, 0.7, 0.7, 1, 0, 1]), 3, all(6));
    expect(Array.from(advantages.subarray(0, 3))).toEqual([0, 0, 0]);
    // the second group still works: mean 2/3, std sqrt((1/9 + 4/9 + 1/9) / 2) = sqrt(1/3)
    expect(advantages[4]).toBeCloseTo(-(2 / 3) / (Math.sqrt(1 / 3) + 1e-6), 5);
  });

  it("gives a group of one A = 0 and counts it (the reference would give A = s)", () => {
    const { advantages, singletonGroups } = groupNormAdvantages(f32([0.9, 0.2, 0.4]), 1, all(3));
    expect(Array.from(advantages)).toEqual([0, 0, 0]);
    expect(singletonGroups).toBe(3);
  });

  it("counts a group left with one kept row as a group of one", () => {
    const { advantages, singletonGroups } = groupNormAdvantages(f32([1, 0, 0, 0]), 4, Uint8Array.from([1, 0, 0, 0]));
    expect(Array.from(advantages)).toEqual([0, 0, 0, 0]);
    expect(singletonGroups).toBe(1);
  });

  it("keeps dropped rows out of the statistics and gives them 0", () => {
    // kept 1 0 0: mean 1/3; squares 4/9 + 1/9 + 1/9 = 2/3; var 1/3; std 0.5773503
    const { advantages } = groupNormAdvantages(f32([1, 0, 0, 9]), 4, Uint8Array.from([1, 1, 1, 0]));
    const std = Math.sqrt(1 / 3) + 1e-6;
    expect(Array.from(advantages)).toEqual(approx([2 / 3 / std, -(1 / 3) / std, -(1 / 3) / std, 0]));
  });

  it("throws on an empty group", () => {
    expect(() => groupNormAdvantages(f32([]), 0, all(0))).toThrow(/empty group/);
  });

  it("has zero mean per group and unit std when std >> eps (property)", () => {
    const rng = mulberry32(7);
    const G = 8;
    const values = f32(Array.from({ length: 40 * G }, () => Math.floor(rng() * 5) / 4));
    const kept = Uint8Array.from(values, () => (rng() < 0.85 ? 1 : 0));
    const { advantages } = groupNormAdvantages(values, G, kept);
    for (let g = 0; g < 40; g++) {
      const a = Array.from(advantages.subarray(g * G, (g + 1) * G)).filter((_, j) => kept[g * G + j]);
      const mean = a.reduce((x, y) => x + y, 0) / a.length;
      expect(Math.abs(mean)).toBeLessThan(1e-6);
      const spread = a.reduce((x, y) => x + (y - mean) ** 2, 0);
      if (spread > 0) expect(Math.sqrt(spread / (a.length - 1))).toBeCloseTo(1, 4);
    }
  });
});

describe("groupNormStepBaseline", () => {
  it("pools all step rewards of the group's kept responses", () => {
    // row 0 steps 1, 0; row 1 step 0.5 -> mean 0.5, std 0.5 (see stats.test.ts)
    // r' = (1 - 0.5) / 0.500001, (0 - 0.5) / 0.500001, 0
    const r = rolloutsFromSteps(2, [[1, 1], [1]]);
    const steps = f32([1, 0, 0.5]);
    const b = groupNormStepBaseline(steps, r, defaults);
    expect(Array.from(applyBaseline(steps, r.stepOffsets, b))).toEqual(approx([0.5 / 0.500001, -0.5 / 0.500001, 0]));
  });

  it("gives a response alone in its group zero step rewards", () => {
    const r = rolloutsFromSteps(1, [[1, 2]]);
    const steps = f32([1, 0]);
    const b = groupNormStepBaseline(steps, r, defaults);
    expect(Array.from(applyBaseline(steps, r.stepOffsets, b))).toEqual([0, 0]);
    expect(b.singletonGroups).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { minFormRewards, minFormStrictReturns } from "./min_form.js";
import { mulberry32 } from "./rng.js";
import { approx, f32, rolloutsFromSteps } from "./testing.js";

describe("minFormRewards", () => {
  const r = rolloutsFromSteps(1, [[1, 1]]);

  it("weights steps by softmax(-pr / T)", () => {
    // T = 1, pr = 0.5, -0.5: w = e^-0.5, e^0.5 over (e^-0.5 + e^0.5) = 0.2689414, 0.7310586
    // r = 0.5 * 0.2689414 = 0.1344707, -0.5 * 0.7310586 = -0.3655293
    const w0 = Math.exp(-0.5) / (Math.exp(-0.5) + Math.exp(0.5));
    expect(Array.from(minFormRewards(f32([0.5, -0.5]), r, 1))).toEqual(approx([0.5 * w0, -0.5 * (1 - w0)]));
  });

  it("puts almost all weight on the worst step at T = 0.1", () => {
    // w_0 = e^-10 / (1 + e^-10) = 4.53979e-5: r = 2.26989e-5, -0.5 * (1 - 4.53979e-5) = -0.4999773
    const w0 = Math.exp(-10) / (1 + Math.exp(-10));
    expect(Array.from(minFormRewards(f32([0.5, -0.5]), r, 0.1))).toEqual(approx([0.5 * w0, -0.5 * (1 - w0)], 7));
  });

  it("does not overflow at a tiny temperature", () => {
    // -pr / T = -1e6 and +1e6: a naive softmax gives Infinity / Infinity
    expect(Array.from(minFormRewards(f32([1, -1]), r, 1e-6))).toEqual([0, -1]);
  });

  it("never rescales its input: all-positive rewards favour the smallest (W0003)", () => {
    // pr = 0.9, 0.1, T = 0.1: w = e^-8 / (1 + e^-8), 1 / (1 + e^-8) -> sum r ~ 0.1 + 0.8 e^-8
    const sum = Array.from(minFormRewards(f32([0.9, 0.1]), r, 0.1)).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(0.1 + (0.8 * Math.exp(-8)) / (1 + Math.exp(-8)), 6);
  });

  it("rejects a temperature that is not positive", () => {
    expect(() => minFormRewards(f32([1, 0]), r, 0)).toThrow(/temperature must be > 0/);
  });

  it("has weights that sum to 1 and a sum of r_k that falls to min pr as T falls (property)", () => {
    const rng = mulberry32(5);
    const steps = Array.from({ length: 50 }, () => Array.from({ length: 1 + Math.floor(rng() * 8) }, () => 1));
    const rows = rolloutsFromSteps(1, steps);
    const pr = f32(Array.from(rows.stepEnds, () => rng() * 2 - 1));
    const unit = f32(Array.from(pr, () => 1));
    const temperatures = [1, 0.3, 0.1, 0.03, 0.01, 0.001];
    const stepsOf = (values: Float32Array, i: number) => Array.from(values.subarray(rows.stepOffsets[i], rows.stepOffsets[i + 1]));
    const total = (values: number[]) => values.reduce((a, b) => a + b, 0);
    // sums[j][i]: row i's sum of r_k at temperatures[j]
    const sums = temperatures.map((T) => {
      const weighted = minFormRewards(pr, rows, T);
      return steps.map((_, i) => total(stepsOf(weighted, i)));
    });
    const weights = minFormRewards(unit, rows, 0.3); // pr = 1 everywhere: r_k = w_k
    steps.forEach((_, i) => {
      const min = Math.min(...stepsOf(pr, i));
      expect(total(stepsOf(weights, i))).toBeCloseTo(1, 6);
      const falling = sums.map((byRow) => byRow[i] ?? NaN);
      falling.slice(1).forEach((sum, j) => {
        expect(sum).toBeLessThanOrEqual((falling[j] ?? NaN) + 1e-6);
      });
      const coldest = falling.at(-1) ?? NaN;
      expect(coldest - min).toBeLessThan(2e-3);
      expect(coldest).toBeGreaterThanOrEqual(min - 1e-6);
    });
  });
});

describe("minFormStrictReturns", () => {
  it("gives each token the min over its step and every later step", () => {
    // steps of 1, 2, 1 tokens, pr 0.3, -0.2, 0.5: step 0 min(0.3, -0.2, 0.5) = -0.2;
    // step 1 min(-0.2, 0.5) = -0.2; step 2: 0.5. Row 1: one step, 0.9
    const r = rolloutsFromSteps(2, [[1, 2, 1], [2]]);
    expect(Array.from(minFormStrictReturns(f32([0.3, -0.2, 0.5, 0.9]), r))).toEqual(approx([-0.2, -0.2, -0.2, 0.5, 0.9, 0.9], 7));
  });
});

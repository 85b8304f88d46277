import { describe, expect, it } from "vitest";
import { primeBceLoss, primeTokenRewards } from "./prime.js";
import { approx, f32, rolloutsFromSteps } from "./testing.js";

describe("primeTokenRewards", () => {
  it("gives beta (log pi_phi - log pi_ref) on masked tokens", () => {
    // q = -1 - (-1.5) = 0.5, -2 - (-1) = -1, third token masked; beta 0.05 -> 0.025, -0.05, 0
    const r = rolloutsFromSteps(1, [[3]], [[1, 1, 0]]);
    expect(Array.from(primeTokenRewards(f32([-1, -2, -3]), f32([-1.5, -1, 0]), r))).toEqual(approx([0.025, -0.05, 0], 7));
  });
});

describe("primeBceLoss", () => {
  it("is BCE(sigmoid(beta sum q), y) per row, averaged over kept rows", () => {
    // row 0: z = 0.05 (0.5 - 1) = -0.025; y = 1: -log sigmoid(z) = log(1 + e^0.025) = 0.7057253
    // row 1: z = 0.05 * 2 = 0.1; y = 0: -log(1 - sigmoid(z)) = log(1 + e^0.1) = 0.7443967
    const r = rolloutsFromSteps(2, [[2], [1]]);
    const { perRow, loss } = primeBceLoss(f32([-1, -2, 0]), f32([-1.5, -1, -2]), f32([1, 0]), r);
    expect(Array.from(perRow)).toEqual(approx([Math.log(1 + Math.exp(0.025)), Math.log(1 + Math.exp(0.1))], 6));
    expect(loss).toBeCloseTo((Math.log(1 + Math.exp(0.025)) + Math.log(1 + Math.exp(0.1))) / 2, 6);
  });

  it("stays finite for a large implicit reward", () => {
    // z = 1 * (0 - (-2000)) = 2000; y = 1: softplus(2000) - 2000 = log1p(e^-2000) = 0; y = 0: 2000
    const r = rolloutsFromSteps(2, [[1], [1]]);
    const { perRow } = primeBceLoss(f32([0, 0]), f32([-2000, -2000]), f32([1, 0]), r, 1);
    expect(Array.from(perRow)).toEqual([0, 2000]);
  });
});

import { describe, expect, it } from "vitest";
import { empg } from "./empg.js";
import { approx, f32, rolloutsFromSteps } from "./testing.js";

// The recipe's defaults for `empg`: k = 1, k_future = 1, zeta = 0.05.
const defaults = { k: 1, kFuture: 1, zeta: 0.05 };

describe("empg", () => {
  it("scales by g(H), adds the next step's clarity bonus, then centres", () => {
    // row 0: step 0 = 2 tokens with entropy 1, 3 (H = 2); step 1 = 1 token with entropy 0 (H = 0)
    // row 1 is dropped: its entropy 100 must not enter min/max. A = 1 on row 0's tokens.
    // Hn = (2 - 0) / (2 + 1e-8) ~ 1, 0; exp(-Hn) = e^-1, 1; batch mean (e^-1 + 1) / 2 = 0.6839397
    // g = 0.5378828, 1.4621172; f(next of step 0) = exp(-0) = 1; step 1 has no next step
    // A' = 0.5378828 + 0.05 * 1 = 0.5878828 (x2 tokens), 1.4621172
    // token mean (2 * 0.5878828 + 1.4621172) / 3 = 0.8792943
    // final: -0.2914114, -0.2914114, 0.5828229, and 0 for the dropped row
    const r = { ...rolloutsFromSteps(2, [[2, 1], [1]]), kept: Uint8Array.from([1, 0]) };
    const out = empg(f32([1, 1, 1, 5]), f32([1, 3, 0, 100]), r, defaults);
    expect(Array.from(out)).toEqual(approx([-0.2914114, -0.2914114, 0.5828229, 0], 6));
  });

  it("leaves A - mean(A) when every step has the same entropy and none has a next step", () => {
    // Hn = 0 everywhere: g = 1, no bonus; mean of 1, -3 is -1 -> 2, -2
    const r = rolloutsFromSteps(2, [[1], [1]]);
    expect(Array.from(empg(f32([1, -3]), f32([0.5, 0.5]), r, defaults))).toEqual([2, -2]);
  });

  it("uses k and zeta", () => {
    // one row, steps H = 1 then 0: Hn = 1, 0. k = 2: exp(-2), 1, mean (e^-2 + 1) / 2
    // zeta = 0.5, k_future = 3: bonus on step 0 = 0.5 exp(-3 * 0) = 0.5
    // A = 2, 2: A' = 2 g0 + 0.5, 2 g1; then centred on the token mean
    const r = rolloutsFromSteps(1, [[1, 1]]);
    const out = empg(f32([2, 2]), f32([1, 0]), r, { k: 2, kFuture: 3, zeta: 0.5 });
    const mean = (Math.exp(-2) + 1) / 2;
    const a0 = (2 * Math.exp(-2)) / mean + 0.5;
    const a1 = 2 / mean;
    expect(Array.from(out)).toEqual(approx([a0 - (a0 + a1) / 2, a1 - (a0 + a1) / 2], 5));
  });
});

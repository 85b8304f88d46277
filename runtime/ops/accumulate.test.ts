import { describe, expect, it } from "vitest";
import { accumulateSteps, broadcastRows } from "./accumulate.js";
import { f32, rolloutsFromSteps } from "./testing.js";

describe("accumulateSteps", () => {
  // row 0: steps of 2, 1, 3 tokens with rewards 1, 2, 4; row 1: empty; row 2: one step, reward 10
  const r = rolloutsFromSteps(3, [[2, 1, 3], [], [1]]);
  const steps = f32([1, 2, 4, 10]);

  it("sums the rewards of the token's step and every later step (gamma = 1)", () => {
    // step 2: 4; step 1: 2 + 4 = 6; step 0: 1 + 6 = 7; row 2 does not see row 0
    expect(Array.from(accumulateSteps(steps, r))).toEqual([7, 7, 6, 4, 4, 4, 10]);
  });

  it("discounts later steps by gamma^(k - step(t))", () => {
    // gamma 0.5: step 2: 4; step 1: 2 + 0.5 * 4 = 4; step 0: 1 + 0.5 * 2 + 0.25 * 4 = 3
    expect(Array.from(accumulateSteps(steps, r, 0.5))).toEqual([3, 3, 4, 4, 4, 4, 10]);
  });

  it("rejects step values that do not match the steps", () => {
    expect(() => accumulateSteps(f32([1, 2]), r)).toThrow(/step values: expected 4 values, got 2/);
  });
});

describe("broadcastRows", () => {
  it("copies each row's value to all its tokens", () => {
    const r = rolloutsFromSteps(3, [[2], [], [1, 2]]);
    expect(Array.from(broadcastRows(f32([0.5, 9, -1]), r))).toEqual([0.5, 0.5, -1, -1, -1]);
  });
});

import { describe, expect, it } from "vitest";
import { entropyBonus } from "./entropy.js";
import { f32, rolloutsFromSteps } from "./testing.js";

describe("entropyBonus", () => {
  it("is -coef times the aggregated entropy", () => {
    // token_mean (1 + 3) / 2 = 2 (the masked 50 is ignored): -0.01 * 2 = -0.02
    const r = rolloutsFromSteps(1, [[3]], [[1, 1, 0]]);
    expect(entropyBonus(f32([1, 3, 50]), r, 0.01, { mode: "token_mean" })).toBeCloseTo(-0.02, 12);
  });
});

import { describe, expect, it } from "vitest";
import { k1, k3, klPenalty, klTokens } from "./kl.js";
import { mulberry32 } from "./rng.js";
import { approx, f32, rolloutsFromSteps } from "./testing.js";

describe("k1 and k3", () => {
  it("k1 = logp - logp_ref", () => {
    expect(k1(-1, -1.5)).toBe(0.5);
  });

  it("k3 = exp(kappa) - kappa - 1 with kappa = logp_ref - logp", () => {
    // kappa = -1.5 - (-1) = -0.5: e^-0.5 + 0.5 - 1 = 0.1065307
    expect(k3(-1, -1.5)).toBeCloseTo(Math.exp(-0.5) - 0.5, 12);
    expect(k3(-2, -2)).toBe(0);
  });

  it("k3 clamps kappa to [-10, 10]", () => {
    // kappa 50 -> 10: e^10 - 11 = 22015.4658; kappa -50 -> -10: e^-10 + 9 = 9.0000454
    expect(k3(-50, 0)).toBeCloseTo(Math.exp(10) - 11, 8);
    expect(k3(0, -50)).toBeCloseTo(Math.exp(-10) + 9, 12);
  });

  it("k3 is non-negative while k1 can be negative (property)", () => {
    const rng = mulberry32(13);
    let negativeK1 = 0;
    for (let i = 0; i < 1000; i++) {
      const logp = -5 * rng();
      const logpRef = -5 * rng();
      expect(k3(logp, logpRef)).toBeGreaterThanOrEqual(0);
      if (k1(logp, logpRef) < 0) negativeK1++;
    }
    expect(negativeK1).toBeGreaterThan(0);
  });
});

describe("klPenalty", () => {
  it("is coef times the aggregate of the per-token estimate", () => {
    // k1 per token: 0.5, -1; token_mean -0.25; coef 0.1 -> -0.025
    const r = rolloutsFromSteps(1, [[2]]);
    const { perToken, value } = klPenalty(f32([-1, -2]), f32([-1.5, -1]), r, "k1", 0.1, { mode: "token_mean" });
    expect(Array.from(perToken)).toEqual([0.5, -1]);
    expect(value).toBeCloseTo(-0.025, 8);
    expect(Array.from(klTokens(f32([-1]), f32([-1.5]), "k3"))).toEqual(approx([Math.exp(-0.5) - 0.5], 7));
  });
});

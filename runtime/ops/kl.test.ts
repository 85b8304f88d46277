import { describe, expect, it } from "vitest";
import { k1, k3, klTokens } from "./kl.js";
import { mulberry32 } from "./rng.js";
import { approx, f32 } from "./testing.js";

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

describe("klTokens", () => {
  it("applies the chosen estimator at every token", () => {
    // k1: -1 - (-1.5) = 0.5, -2 - (-1) = -1; k3: kappa -0.5 -> e^-0.5 - 0.5, kappa 1 -> e - 2
    const logp = f32([-1, -2]);
    const logpRef = f32([-1.5, -1]);
    expect(Array.from(klTokens(logp, logpRef, "k1"))).toEqual([0.5, -1]);
    expect(Array.from(klTokens(logp, logpRef, "k3"))).toEqual(approx([Math.exp(-0.5) - 0.5, Math.E - 2], 6));
  });

  it("refuses reference log-probabilities of another length", () => {
    expect(() => klTokens(f32([-1, -2]), f32([-1]), "k3")).toThrow(/logp_ref: expected 2 values, got 1/);
  });
});

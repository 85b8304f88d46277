import { describe, expect, it } from "vitest";
import { clippedSurrogate, dualClip, ppoLoss, ppoTokenLoss, ratio, PPO_DEFAULTS } from "./ppo.js";
import { approx, f32, rolloutsFromSteps } from "./testing.js";

describe("ratio", () => {
  it("is exp(logp - logp_old) with the log-ratio clamped to [-20, 20]", () => {
    expect(ratio(Math.log(1.5), 0)).toBeCloseTo(1.5, 12);
    expect(ratio(100, 0)).toBe(Math.exp(20));
    expect(ratio(0, 100)).toBe(Math.exp(-20));
  });
});

describe("clippedSurrogate", () => {
  // eps 0.2 / 0.2: the ratio is clipped to [0.8, 1.2]
  it.each([
    { a: 1, rho: 1.5, loss: -1.2, why: "A > 0, ratio above 1 + eps: clipped" },
    { a: 1, rho: 0.5, loss: -0.5, why: "A > 0, ratio below 1 - eps: the unclipped term is larger" },
    { a: -1, rho: 1.5, loss: 1.5, why: "A < 0, ratio above 1 + eps: the unclipped term is larger" },
    { a: -1, rho: 0.5, loss: 0.8, why: "A < 0, ratio below 1 - eps: clipped" },
  ])("$why", ({ a, rho, loss }) => {
    expect(clippedSurrogate(a, rho, 0.2, 0.2)).toBeCloseTo(loss, 12);
  });

  it("clips above at 1 + clip_high (clip-higher)", () => {
    // rho 1.25: max(-1.25, -min(1.25, 1.28)) = -1.25 with eps_hi 0.28, max(-1.25, -1.2) = -1.2 with 0.2
    expect(clippedSurrogate(1, 1.25, 0.2, 0.28)).toBeCloseTo(-1.25, 12);
    expect(clippedSurrogate(1, 1.25, 0.2, 0.2)).toBeCloseTo(-1.2, 12);
  });
});

describe("dualClip", () => {
  it("caps the loss at -A c only where A < 0", () => {
    expect(dualClip(-1, 5, 3)).toBe(3);
    expect(dualClip(-1, 2, 3)).toBe(2);
    expect(dualClip(1, 5, 3)).toBe(5);
    expect(dualClip(-1, 5, null)).toBe(5);
  });
});

describe("ppoTokenLoss", () => {
  it("composes ratio, clip and dual clip", () => {
    // A = -2, rho = 10: max(20, 2 * 1.2) = 20, dual clip min(20, 2 * 3) = 6
    expect(ppoTokenLoss(Math.log(10), 0, -2, PPO_DEFAULTS)).toBeCloseTo(6, 12);
    expect(ppoTokenLoss(Math.log(10), 0, -2, { ...PPO_DEFAULTS, dualClip: null })).toBeCloseTo(20, 10);
  });
});

describe("ppoLoss", () => {
  it("returns per-token losses, their aggregate and the clip fractions", () => {
    // tokens (A, rho): (1, 1.5) -> -1.2 clipped; (1, 0.5) -> -0.5; (-1, 5) -> 5 capped to 3 (dual);
    // (-1, 0.5) -> 0.8 clipped; row 1's token is masked and row 2 is dropped (ignored below)
    // token_mean (-1.2 - 0.5 + 3 + 0.8) / 4 = 0.525; clip fraction 2/4; dual 1/4
    const r = { ...rolloutsFromSteps(3, [[4], [1], [1]], [[1, 1, 1, 1], [0], [1]]), kept: Uint8Array.from([1, 1, 0]) };
    const logp = f32([Math.log(1.5), Math.log(0.5), Math.log(5), Math.log(0.5), Math.log(1.5), Math.log(1.5)]);
    const out = ppoLoss(logp, new Float32Array(6), f32([1, 1, -1, -1, 1, 1]), r, PPO_DEFAULTS, { mode: "token_mean" });
    expect(Array.from(out.perToken)).toEqual(approx([-1.2, -0.5, 3, 0.8, -1.2, -1.2], 6));
    expect(out.loss).toBeCloseTo(0.525, 6);
    expect(out.clipFraction).toBe(0.5);
    expect(out.dualClipFraction).toBe(0.25);
  });
});

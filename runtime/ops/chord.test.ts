import { describe, expect, it } from "vitest";
import { chordLoss, chordSftLoss, phiWeight, sftTokenLoss } from "./chord.js";
import { approx, f32 } from "./testing.js";

describe("phi and the SFT token loss", () => {
  it("phi = p (1 - p)", () => {
    expect(phiWeight(Math.log(0.5))).toBeCloseTo(0.25, 12);
    expect(phiWeight(Math.log(0.2))).toBeCloseTo(0.16, 12);
    expect(phiWeight(0)).toBe(0); // p = 1: a token the policy is sure of teaches nothing
  });

  it("-logp * phi with phi on, -logp with phi off", () => {
    // p = 0.5: ln 2 * 0.25 = 0.1732868; ln 2 = 0.6931472
    expect(sftTokenLoss(Math.log(0.5), true)).toBeCloseTo(Math.LN2 * 0.25, 12);
    expect(sftTokenLoss(Math.log(0.5), false)).toBeCloseTo(Math.LN2, 12);
  });

  it("L_SFT is the token mean over masked expert tokens", () => {
    // phi off: tokens p = 0.5, 0.25 (the third is masked): (ln 2 + ln 4) / 2 = 1.5 ln 2
    const { perToken, loss } = chordSftLoss(f32([Math.log(0.5), Math.log(0.25), -9]), Uint8Array.from([1, 1, 0]), false);
    expect(Array.from(perToken)).toEqual(approx([Math.LN2, 2 * Math.LN2, 9], 6));
    expect(loss).toBeCloseTo(1.5 * Math.LN2, 6);
  });
});

describe("chordLoss", () => {
  it("mixes (1 - mu) L_RL + mu L_SFT", () => {
    expect(chordLoss(2, 4, 0.25)).toBe(2.5);
  });
});

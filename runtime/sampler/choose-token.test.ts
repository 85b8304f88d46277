import { describe, expect, it } from "vitest";
import { chooseToken } from "./choose-token.js";

/** An rng that always returns `u`, counting its draws. */
function fixed(u: number) {
  const rng = () => {
    rng.draws++;
    return u;
  };
  rng.draws = 0;
  return rng;
}

describe("chooseToken", () => {
  it("is greedy at temperature 0: the highest logit, ties to the lowest id, no draw, logprob 0", () => {
    const rng = fixed(0.5);
    expect(chooseToken([1, 3, 3, 2], 0, 1, rng)).toEqual({ id: 1, logprob: 0 });
    expect(chooseToken([-Infinity, -5, -7], 0, 0.1, rng)).toEqual({ id: 1, logprob: 0 });
    expect(rng.draws).toBe(0);
  });

  it("draws from softmax(logits / T) by inverse CDF, once per call", () => {
    // logits 0, log 3: probabilities 1/4, 3/4
    const logits = [0, Math.log(3)];
    const rng = fixed(0.2);
    const low = chooseToken(logits, 1, 1, rng);
    expect(low.id).toBe(0);
    expect(low.logprob).toBeCloseTo(Math.log(0.25), 12);
    expect(rng.draws).toBe(1);
    const high = chooseToken(logits, 1, 1, fixed(0.3));
    expect(high.id).toBe(1);
    expect(high.logprob).toBeCloseTo(Math.log(0.75), 12);
    // temperature 0.5 squares the odds: 1/10, 9/10
    const cold = chooseToken(logits, 0.5, 1, fixed(0.05));
    expect(cold).toEqual({ id: 0, logprob: expect.closeTo(Math.log(0.1), 12) });
    expect(chooseToken(logits, 0.5, 1, fixed(0.15)).id).toBe(1);
    // temperature 2 takes the square root: 1 / (1 + sqrt 3), sqrt 3 / (1 + sqrt 3)
    expect(chooseToken(logits, 2, 1, fixed(0.99)).logprob).toBeCloseTo(Math.log(Math.sqrt(3) / (1 + Math.sqrt(3))), 12);
  });

  it("keeps only the nucleus under top_p and gives the logprob renormalised over it", () => {
    // probabilities 0.5, 0.3, 0.2
    const logits = [Math.log(5), Math.log(3), Math.log(2)];
    // top_p 0.7: {0, 1}, renormalised to 5/8, 3/8; the draw is scaled to the kept mass 0.8
    expect(chooseToken(logits, 1, 0.7, fixed(0.99))).toEqual({ id: 1, logprob: expect.closeTo(Math.log(3 / 8), 12) });
    expect(chooseToken(logits, 1, 0.7, fixed(0.6))).toEqual({ id: 0, logprob: expect.closeTo(Math.log(5 / 8), 12) }); // 0.48 < 0.5
    expect(chooseToken(logits, 1, 0.7, fixed(0.63)).id).toBe(1); // 0.504
    // 0.5 + 0.3 reaches 0.8 exactly: rounding must not pull in token 2
    expect(chooseToken(logits, 1, 0.8, fixed(0.999)).id).toBe(1);
    // top_p 0.4: the most probable token alone, probability 1
    expect(chooseToken(logits, 1, 0.4, fixed(0.99))).toEqual({ id: 0, logprob: 0 });
    // top_p 1 keeps every token
    expect(chooseToken(logits, 1, 1, fixed(0.99))).toEqual({ id: 2, logprob: expect.closeTo(Math.log(0.2), 12) });
  });

  it("orders the nucleus by probability, ties by id, but draws in id order", () => {
    // probabilities 0.2, 0.4, 0.4: top_p 0.5 keeps the two 0.4s (ids 1 and 2)
    const logits = [Math.log(1), Math.log(2), Math.log(2)];
    expect(chooseToken(logits, 1, 0.5, fixed(0.49)).id).toBe(1);
    expect(chooseToken(logits, 1, 0.5, fixed(0.51)).id).toBe(2);
    // top_p 0.3 keeps only id 1 (the lower id of the tie)
    expect(chooseToken(logits, 1, 0.3, fixed(0.99)).id).toBe(1);
  });

  it("never draws a token of probability 0", () => {
    expect(chooseToken([0, -Infinity, 0], 1, 1, fixed(0.5)).id).toBe(2);
    expect(chooseToken([0, -Infinity], 1, 1, fixed(0.999999)).id).toBe(0);
  });

  it("refuses logits that are not finite and settings out of range", () => {
    expect(() => chooseToken([0, NaN, 1], 1, 1, fixed(0.5))).toThrow(/NaN/);
    expect(() => chooseToken([NaN, NaN], 0, 1, fixed(0.5))).toThrow(/not finite/);
    expect(() => chooseToken([Infinity, 0], 1, 1, fixed(0.5))).toThrow(/not finite/);
    expect(() => chooseToken([0, 1], -1, 1, fixed(0.5))).toThrow(/temperature/);
    expect(() => chooseToken([0, 1], 1, 0, fixed(0.5))).toThrow(/top_p/);
    expect(() => chooseToken([0, 1], 1, 1.5, fixed(0.5))).toThrow(/top_p/);
  });
});

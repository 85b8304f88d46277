import { describe, expect, it } from "vitest";
import { chooseToken } from "./choose-token.js";

const fixed = (u: number) => () => u;

describe("chooseToken", () => {
  it("is greedy at temperature 0, ties to the lowest id, without a draw", () => {
    let draws = 0;
    expect(chooseToken([1, 3, 3, 2], 0, 1, () => (draws++, 0.5))).toBe(1);
    expect(draws).toBe(0);
  });

  it("draws from the softmax by inverse CDF", () => {
    // logits log(1), log(3): probabilities 0.25, 0.75
    const logits = [0, Math.log(3)];
    expect(chooseToken(logits, 1, 1, fixed(0.2))).toBe(0);
    expect(chooseToken(logits, 1, 1, fixed(0.3))).toBe(1);
    // temperature 0.5 squares the odds: 1/10, 9/10
    expect(chooseToken(logits, 0.5, 1, fixed(0.05))).toBe(0);
    expect(chooseToken(logits, 0.5, 1, fixed(0.15))).toBe(1);
  });

  it("keeps only the nucleus under top_p", () => {
    // probabilities 0.5, 0.3, 0.2: top_p 0.7 keeps {0, 1}, renormalised to 5/8, 3/8
    const logits = [Math.log(5), Math.log(3), Math.log(2)];
    expect(chooseToken(logits, 1, 0.7, fixed(0.99))).toBe(1);
    expect(chooseToken(logits, 1, 0.7, fixed(0.6))).toBe(0);
    expect(chooseToken(logits, 1, 0.7, fixed(0.63))).toBe(1);
    expect(chooseToken(logits, 1, 0.4, fixed(0.99))).toBe(0);
  });
});

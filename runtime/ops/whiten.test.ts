import { describe, expect, it } from "vitest";
import { mulberry32 } from "./rng.js";
import { tokenMoments } from "./stats.js";
import { approx, f32, rolloutsFromSteps } from "./testing.js";
import { whiten } from "./whiten.js";

describe("whiten", () => {
  it("uses the masked tokens of the kept rows for mean and unbiased variance", () => {
    // counted 1 2 3 (100 is masked, row 2 dropped): mean 2, variance (1 + 0 + 1) / 2 = 1
    // out = (x - 2) / sqrt(1 + 1e-8); the masked token is whitened too (the mask comes last)
    const r = rolloutsFromSteps(3, [[2], [2], [1]], [[1, 1], [1, 0], [1]]);
    const out = whiten(f32([1, 2, 3, 100, 50]), { ...r, kept: Uint8Array.from([1, 1, 0]) });
    const s = Math.sqrt(1 + 1e-8);
    expect(Array.from(out)).toEqual(approx([-1 / s, 0, 1 / s, 98 / s, 0], 4));
  });

  it("maps a single token to 0 instead of dividing by an undefined variance", () => {
    expect(Array.from(whiten(f32([5]), rolloutsFromSteps(1, [[1]])))).toEqual([0]);
  });

  it("gives zero mean and unit variance over the counted tokens (property)", () => {
    const rng = mulberry32(3);
    const steps = Array.from({ length: 32 }, () => [1 + Math.floor(rng() * 9)]);
    const r = rolloutsFromSteps(4, steps);
    const values = f32(Array.from(r.mask, () => rng() * 10 - 3));
    const m = tokenMoments(whiten(values, r), r);
    expect(m.mean).toBeCloseTo(0, 6);
    expect(m.variance).toBeCloseTo(1, 5);
  });
});

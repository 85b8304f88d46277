import { describe, expect, it } from "vitest";
import { renorm } from "./renorm.js";
import { mulberry32 } from "./rng.js";
import { approx, f32, rolloutsFromSteps } from "./testing.js";

describe("renorm", () => {
  it("adds r_o - 1 to every step score", () => {
    // correct row: 0.8 + 1 - 1, 0.3 + 1 - 1; wrong row: 0.9 + 0 - 1 = -0.1
    const r = rolloutsFromSteps(2, [[1, 1], [1]]);
    expect(Array.from(renorm(f32([0.8, 0.3, 0.9]), f32([1, 0]), r))).toEqual(approx([0.8, 0.3, -0.1], 6));
  });

  it("maps correct trajectories into [0, 1] and wrong ones into [-1, 0] (property)", () => {
    const rng = mulberry32(21);
    const r = rolloutsFromSteps(
      4,
      Array.from({ length: 64 }, () => new Array(1 + Math.floor(rng() * 6)).fill(1)),
    );
    const scores = f32(Array.from(r.stepEnds, () => rng()));
    scores[0] = 0;
    scores[1] = 1;
    const outcome = f32(Array.from({ length: 64 }, () => (rng() < 0.5 ? 1 : 0)));
    const out = renorm(scores, outcome, r);
    outcome.forEach((o, i) => {
      const [lo, hi] = o === 1 ? [0, 1] : [-1, 0];
      for (const x of out.subarray(r.stepOffsets[i], r.stepOffsets[i + 1])) expect(x >= lo && x <= hi).toBe(true);
    });
  });

  it("refuses a non-binary outcome (E3103)", () => {
    expect(() => renorm(f32([0.5]), f32([0.5]), rolloutsFromSteps(1, [[1]]))).toThrow(/binary outcome/);
  });
});

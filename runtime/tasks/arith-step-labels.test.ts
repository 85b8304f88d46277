import { describe, expect, it } from "vitest";
import { mulberry32 } from "../ops/rng.js";
import { solutionText } from "./arith-expr.js";
import { generateProblems } from "./arith-generate.js";
import { labelledResponses } from "./arith-step-labels.js";
import { stepCheck } from "./arith-verify.js";

const problems = generateProblems(2000, { lo: 1, hi: 3 }, 5).map((p) => p.expr);

describe("PRM training data", () => {
  it("labels every step with step_check, and expert solutions all 1", () => {
    const data = labelledResponses(problems, mulberry32(1), { noise: 0, clean: 0.3 });
    // One response per problem, in order.
    data.forEach((r, i) => {
      expect(r.clean).toEqual(stepCheck(problems[i]!, r.steps));
      expect(r.labels).toEqual(r.clean);
      if (r.steps.join("\n") === solutionText(problems[i]!)) expect(r.clean.every((l) => l === 1)).toBe(true);
    });
    const experts = data.filter((r, i) => r.steps.join("\n") === solutionText(problems[i]!)).length;
    expect(experts / data.length).toBeGreaterThan(0.25);
    expect(experts / data.length).toBeLessThan(0.4);
  });

  it("damages the rest so that a good share of steps are wrong", () => {
    const labels = labelledResponses(problems, mulberry32(2), { noise: 0, clean: 0 }).flatMap((r) => r.clean);
    const wrong = labels.filter((l) => l === 0).length / labels.length;
    expect(wrong).toBeGreaterThan(0.2);
    expect(wrong).toBeLessThan(0.8);
  });

  it("flips labels at the noise rate, and the same seed gives the same data", () => {
    const noisy = labelledResponses(problems, mulberry32(3), { noise: 0.2, clean: 0.3 });
    const pairs = noisy.flatMap((r) => r.labels.map((l, k) => [l, r.clean[k]]));
    const flipped = pairs.filter(([l, c]) => l !== c).length / pairs.length;
    expect(flipped).toBeGreaterThan(0.17);
    expect(flipped).toBeLessThan(0.23);
    expect(labelledResponses(problems, mulberry32(3), { noise: 0.2, clean: 0.3 })).toEqual(noisy);
  });

  it("refuses a noise rate that is not a probability up to one half", () => {
    expect(() => labelledResponses(problems, mulberry32(4), { noise: 0.7, clean: 0.3 })).toThrow(/label noise 0.7/);
    expect(() => labelledResponses(problems, mulberry32(4), { noise: Number.NaN, clean: 0.3 })).toThrow(/label noise/);
  });
});

import { describe, expect, it } from "vitest";
import { TEST_REWARDS, testPlan } from "../../runtime/record/testing.js";
import { hackedFraction } from "./hacked.js";

const answer = (prm: number[], steps: number[]) => ({ rewards: { "prm.prm": prm, "lab.steps": steps, "lab.correct": [1] } });

describe("hackedFraction", () => {
  const plan = testPlan("r");

  it("is the fraction of PRM-liked steps (≥ 0.5) that step_check scores 0, over all answers", () => {
    expect(hackedFraction(plan, [answer([0.5, 0.49, 1], [0, 0, 1]), answer([0.9, 0.8], [0, 0])])).toBe(3 / 4);
  });

  it("is undefined without both sources in the plan, without their values, or with no liked step", () => {
    const noPrm = testPlan(
      "r",
      TEST_REWARDS.filter((r) => r.source.kind !== "onnx"),
    );
    expect(hackedFraction(noPrm, [answer([0.9], [0])])).toBeUndefined();
    expect(hackedFraction(plan, [{ rewards: { "prm.prm": [0.9] } }, {}])).toBeUndefined();
    expect(hackedFraction(plan, [answer([0.1, 0.2], [0, 0])])).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { TEST_REWARDS, testPlan } from "../../runtime/record/testing.js";
import { accuracyLabel } from "./accuracy.js";

describe("accuracyLabel", () => {
  const plan = testPlan("r");

  it("takes a task's answer_match over an earlier binary outcome, and never a process reward", () => {
    expect(accuracyLabel(plan, ["steps", "format", "correct", "prm"])).toBe("correct");
    expect(accuracyLabel(plan, ["steps", "format", "prm"])).toBe("format");
    expect(accuracyLabel(plan, ["steps", "prm"])).toBeUndefined();
  });

  it("reads labels that are source names, as `roux eval` writes them for a plan without an eval block", () => {
    const bare = { ...plan, stages: plan.stages.map((s) => ({ ...s, eval: null })) };
    expect(accuracyLabel(bare, ["lab.steps", "lab.correct"])).toBe("lab.correct");
    expect(accuracyLabel(bare, ["correct"])).toBeUndefined();
  });

  it("leaves out an outcome that is not binary", () => {
    const graded = testPlan(
      "r",
      TEST_REWARDS.map((r) => (r.name === "lab.format" ? { ...r, binary: false } : r)).filter((r) => r.name !== "lab.correct"),
    );
    expect(accuracyLabel(graded, ["format"])).toBeUndefined();
  });
});

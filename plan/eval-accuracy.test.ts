import { describe, expect, it } from "vitest";
import { TEST_REWARDS, testPlan } from "../runtime/record/testing.js";
import { accuracyLabel, accuracySource } from "./eval-accuracy.js";

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

describe("accuracySource", () => {
  const plan = testPlan("r");

  it("is the binary outcome source an expression scores directly, and nothing else", () => {
    expect(accuracySource(plan, { op: "reward", name: "lab.correct" })?.name).toBe("lab.correct");
    expect(accuracySource(plan, { op: "reward", name: "lab.steps" })).toBeUndefined();
    expect(accuracySource(plan, { op: "reward", name: "prm.prm" })).toBeUndefined();
    expect(accuracySource(plan, { op: "*", left: { op: "const", value: 1 }, right: { op: "reward", name: "lab.correct" } })).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { checkForTarget } from "./testing.js";
import { readRewardSpecs, rewardModule, rewardSpec } from "./reward-python.js";
import type { Plan } from "../plan/plan.js";

function grpoPlan(): Plan {
  return checkForTarget("recipes/hub/grpo.recipe", "verl").plan!;
}

describe("the Python reward module", () => {
  it("carries each RL stage's reward as data that reads back unchanged", () => {
    const plan = grpoPlan();
    const rl = plan.stages[0];
    if (rl.kind !== "rl") throw new Error("the hub grpo recipe's stage is RL");
    const spec = rewardSpec(plan, rl);
    expect(spec.expr).toEqual({ op: "+", left: { op: "reward", name: "correct" }, right: { op: "*", left: { op: "const", value: 0.1 }, right: { op: "reward", name: "format" } } });
    expect(spec.answer_key).toBe("answer");
    expect(readRewardSpecs(rewardModule(plan, "verl"))).toEqual({ rl: spec });
  });

  it("keeps a pattern with Python's closing quotes inside the raw string intact", () => {
    const plan = structuredClone(grpoPlan());
    const format = plan.rewards.find((r) => r.name === "format")!;
    format.source = { kind: "regex_match", pattern: "'''" };
    const module = rewardModule(plan, "trinity");
    expect(module.match(/'''/g)).toHaveLength(2);
    expect(readRewardSpecs(module)?.rl.rewards.format).toEqual({ kind: "regex_match", pattern: "'''" });
  });

  it("reads nothing out of a reward function it did not write", () => {
    expect(readRewardSpecs("def compute_score(data_source, solution_str, ground_truth):\n    return 1.0\n")).toBeUndefined();
  });
});

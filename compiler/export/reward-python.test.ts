import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { checkForTarget } from "./testing.js";
import { readRewardSpecs, rewardModule, rewardSpec } from "./reward-python.js";
import type { Plan } from "../../plan/plan.js";

function grpoPlan(): Plan {
  return checkForTarget("recipes/hub/grpo.recipe", "verl").plan!;
}

describe("the Python reward module", () => {
  it("carries each RL stage's reward as data that reads back unchanged", () => {
    const plan = grpoPlan();
    const rl = plan.stages[0];
    if (rl?.kind !== "rl") throw new Error("the hub grpo recipe's stage is RL");
    const spec = rewardSpec(plan, rl);
    expect(spec.expr).toEqual({
      op: "+",
      left: { op: "reward", name: "correct" },
      right: { op: "*", left: { op: "const", value: 0.1 }, right: { op: "reward", name: "format" } },
    });
    expect(spec.answer_key).toBe("answer");
    expect(readRewardSpecs(rewardModule(plan, "verl"))).toEqual({ rl: spec });
  });

  it("keeps a pattern with Python's closing quotes inside the raw string intact", () => {
    const plan = structuredClone(grpoPlan());
    const format = plan.rewards.find((r) => r.name === "format")!;
    format.source = { kind: "regex_match", pattern: "'''" };
    const module = rewardModule(plan, "trinity");
    expect(module.match(/'''/g)).toHaveLength(2);
    expect(readRewardSpecs(module)?.rl?.rewards.format).toEqual({ kind: "regex_match", pattern: "'''" });
  });

  it("reads nothing out of a reward function it did not write", () => {
    expect(readRewardSpecs("def compute_score(data_source, solution_str, ground_truth):\n    return 1.0\n")).toBeUndefined();
  });

  // The module is Python: run it, where there is a python3, on answers checked by hand.
  const python = spawnSync("python3", ["--version"]).status === 0;
  it.skipIf(!python)("scores responses in Python as the recipe says: numeric_match + 0.1 * regex_match (needs python3)", () => {
    const cases: [string, string, number][] = [
      ["7+5=12\nanswer: 12", "12", 1.1],
      ["answer: 12.0000001", "12", 1.1],
      ["answer: 13", "12", 0.1],
      ["twelve", "12", 0],
    ];
    const script = [
      rewardModule(grpoPlan(), "verl"),
      "import json, sys",
      "print(json.dumps([compute_score('math', r, a) for r, a in json.loads(sys.argv[1])]))",
    ].join("\n");
    const result = spawnSync("python3", ["-c", script, JSON.stringify(cases.map(([r, a]) => [r, a]))], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    const scores = JSON.parse(result.stdout) as number[];
    cases.forEach(([, , expected], i) => {
      expect(scores[i]).toBeCloseTo(expected, 12);
    });
  });
});

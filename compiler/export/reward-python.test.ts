import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { checkForTarget } from "./testing.js";
import { evalSpec, readRewardSpecs, rewardModule, rewardSpec } from "./reward-python.js";
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
    // Both modules carry the eval block's rewards beside the stage's.
    const evals = { rewards: { correct: spec.rewards.correct }, metrics: [{ label: "correct", expr: { op: "reward", name: "correct" } }] };
    expect(evalSpec(plan, rl)).toEqual({ spec: evals, left: [] });
    expect(readRewardSpecs(rewardModule(plan, "verl"))).toEqual({ rl: { ...spec, eval: evals } });
    expect(readRewardSpecs(rewardModule(plan, "trinity"))).toEqual({ rl: { ...spec, eval: evals } });
  });

  it("leaves out an eval reward the module cannot compute, by its label", () => {
    const plan = structuredClone(grpoPlan());
    const rl = plan.stages[0];
    if (rl?.kind !== "rl" || rl.eval === null) throw new Error("the hub grpo recipe's stage is RL with an eval block");
    plan.rewards.push({
      name: "prm",
      granularity: "outcome",
      range: { lo: 0, hi: 1 },
      binary: false,
      source: { kind: "js", path: "/x.ts", export: "f", range: { lo: 0, hi: 1 } },
    });
    rl.eval.rewards.push({ label: "prm", expr: { op: "reward", name: "prm" } });
    expect(evalSpec(plan, rl).left).toEqual(["prm"]);
    expect(evalSpec(plan, rl).spec?.metrics.map((m) => m.label)).toEqual(["correct"]);
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
  /** verl's call of the module on each (response, ground truth) pair: the scores and what it wrote on stderr. */
  function scoreInPython(plan: Plan, cases: readonly (readonly [string, string | null])[]): { scores: unknown[]; stderr: string } {
    const script = [
      rewardModule(plan, "verl"),
      "import json, sys",
      "print(json.dumps([compute_score('math', r, a) for r, a in json.loads(sys.argv[1])]))",
    ].join("\n");
    const result = spawnSync("python3", ["-c", script, JSON.stringify(cases)], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    return { scores: JSON.parse(result.stdout) as unknown[], stderr: result.stderr };
  }

  it.skipIf(!python)(
    "scores responses in Python as the recipe says: numeric_match + 0.1 * regex_match, and the eval's numeric_match beside it (needs python3)",
    () => {
      const cases: [string, string, number, number][] = [
        ["7+5=12\nanswer: 12", "12", 1.1, 1],
        ["answer: 12.0000001", "12", 1.1, 1],
        ["answer: 13", "12", 0.1, 0],
        ["twelve", "12", 0, 0],
      ];
      const { scores, stderr } = scoreInPython(
        grpoPlan(),
        cases.map(([r, a]) => [r, a]),
      );
      expect(stderr).toBe("");
      cases.forEach(([, , reward, correct], i) => {
        const { score, "eval/correct": evaluated } = scores[i] as { score: number; "eval/correct": number };
        expect(score).toBeCloseTo(reward, 12);
        expect(evaluated).toBe(correct);
      });
      // Without an eval block the score is a plain number.
      expect(scoreInPython(checkForTarget("recipes/hub/rloo.recipe", "verl").plan!, [["answer: 12", "12"]]).scores).toEqual([1]);
    },
  );

  it.skipIf(!python)("scores a sample it cannot score at the verifier's low end, says so once per kind, and goes on (needs python3)", () => {
    // A missing answer (null in verl's parquet) and an answer that is not a number fail
    // numeric_match's sample, which counts 0 as the local runtime counts a failure; the format
    // reward still scores the response, so the sum is 0.1 where the response has the format.
    const { scores, stderr } = scoreInPython(grpoPlan(), [
      ["answer: 12", null],
      ["answer: 12", "twelve"],
      ["no format", null],
      ["answer: 12", null],
      ["answer: 12", "12"],
    ]);
    expect(scores.map((s) => Number((s as { score: number }).score.toFixed(12)))).toEqual([0.1, 0.1, 0, 0.1, 1.1]);
    expect(scores.map((s) => (s as { "eval/correct": number })["eval/correct"])).toEqual([0, 0, 0, 0, 1]);
    expect(stderr.trimEnd().split("\n")).toEqual([
      "roux_reward: numeric_match: an example has no answer to compare with (first: None); such samples score 0.0",
      "roux_reward: numeric_match: an example's answer is not a number (first: 'twelve'); such samples score 0.0",
    ]);
    const exact = scoreInPython(checkForTarget("recipes/hub/dr-grpo.recipe", "verl").plan!, [
      ["answer: 84", null],
      ["answer: 84", "84"],
    ]);
    expect(exact.scores).toEqual([0, 1]);
  });
});

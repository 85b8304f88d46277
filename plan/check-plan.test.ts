import { describe, expect, it } from "vitest";
import { nth, planOf, planOfFile, recipe, stageNamed } from "../compiler/plan/testing.js";
import { checkPlan, PLAN_RULES } from "./check-plan.js";
import { describeIssues, type PlanIssue } from "./plan-issue.js";
import type { Node, Plan, RlStage } from "./plan.js";

// Plans are built by the compiler (tests may reach up the layers) and then broken by hand, as a
// plan file edited outside Roux could be.
const FLAGSHIP = planOfFile("recipes/arith/flagship.recipe");
const PRM = `reward prm : process = onnx("../recipes/arith/prm.onnx") { input = "input_ids", output = "probs" }`;

function broken(edit: (plan: Plan, rl: RlStage) => void, plan = FLAGSHIP): PlanIssue[] {
  const copy = structuredClone(plan);
  edit(copy, stageNamed(copy, "rl") as RlStage);
  return checkPlan(copy);
}

function node<Op extends Node["op"]>(stage: RlStage, op: Op): Extract<Node, { op: Op }> {
  const found = stage.graph.find((n): n is Extract<Node, { op: Op }> => n.op === op);
  if (found === undefined) throw new Error(`no ${op} node`);
  return found;
}

const brief = (issues: PlanIssue[]) => issues.map((i) => `${i.rule}: ${i.message}`);

describe("checkPlan", () => {
  it("accepts the plans the compiler writes", () => {
    expect(checkPlan(FLAGSHIP)).toEqual([]);
    expect(checkPlan(planOf(recipe("  reward = 2 * steps - 1 + at_end(correct)\n  credit = min_form")))).toEqual([]);
  });

  it("refuses advantage ops out of docs/algorithms.md's order, at the op out of place, with the order that works", () => {
    const issues = broken((_, rl) => (node(rl, "Advantage").ops = [{ kind: "whiten" }, { kind: "group_norm", std: true, eps: 1e-6 }]));
    expect(issues).toEqual([
      {
        rule: "advantage-order",
        at: { in: "node", stage: "rl", node: "advantage", path: ["ops", 1] },
        message: "the advantage applies `group_norm` after `whiten`",
        help: "write `group_norm |> whiten`",
      },
    ]);
    expect(brief(broken((_, rl) => (node(rl, "Advantage").ops = [{ kind: "group_norm", std: true, eps: 1e-6 }, { kind: "rloo" }])))).toEqual([
      "advantage-order: the advantage applies `rloo` after `group_norm`",
    ]);
    const twice = broken((_, rl) => (node(rl, "Advantage").ops = [{ kind: "whiten" }, { kind: "whiten" }]));
    expect(twice.map((i) => [i.message, i.help])).toEqual([["the advantage applies `whiten` twice", "write `whiten`"]]);
    const baselines = broken((_, rl) => (node(rl, "Advantage").ops = [{ kind: "rloo" }, { kind: "whiten" }, { kind: "group_norm", std: true, eps: 1e-6 }]));
    expect(baselines.map((i) => [i.message, i.help])).toEqual([["the advantage applies `group_norm` after `whiten`", "write `rloo |> whiten`"]]);
  });

  it("refuses SFT batches and expert data that read a dataset without responses, which the runtime would have nothing to learn from", () => {
    const noResponses = (plan: Plan) => {
      for (const d of plan.datasets) d.responses = false;
    };
    expect(brief(broken(noResponses))).toEqual([
      expect.stringMatching(/^responses: stage `warmup` learns from responses, and dataset `\w+` has none$/),
      expect.stringMatching(/^responses: the expert term learns from responses, and dataset `\w+` has none$/),
    ]);
  });

  it("accepts every op alone and the full chain in order", () => {
    for (const ops of [
      [{ kind: "rloo" as const }],
      [{ kind: "whiten" as const }],
      [{ kind: "rloo" as const }, { kind: "whiten" as const }, { kind: "empg" as const, k: 1, k_future: 1, zeta: 0.1 }],
    ]) {
      expect(broken((_, rl) => (node(rl, "Advantage").ops = ops))).toEqual([]);
    }
  });

  it("refuses a second PROF filter, which the runtime cannot run", () => {
    const issues = broken((_, rl) => {
      const filter = node(rl, "Filter");
      rl.graph.splice(rl.graph.indexOf(filter) + 1, 0, { ...filter, id: "filter_2" });
    });
    expect(issues.map((i) => [i.rule, i.at])).toEqual([["one-filter", { in: "node", stage: "rl", node: "filter_2", path: [] }]]);
  });

  it("refuses a missing or doubled node of a stage's fixed shape, and a loss of the other kind of stage", () => {
    expect(brief(broken((_, rl) => (rl.graph = rl.graph.filter((n) => n.op !== "Credit"))))).toEqual([
      "graph-order: node `advantage` reads `credit`, which is not a node of the stage",
      "stage-nodes: RL stage `rl` has 0 Credit nodes; it must have exactly one",
    ]);
    expect(brief(broken((plan, rl) => stageNamed(plan, "warmup").graph.push({ ...node(rl, "Sample") })))).toContain(
      "stage-nodes: SFT stage `warmup` has 1 Sample node; it must have none",
    );
    expect(brief(broken((_, rl) => (node(rl, "Loss").loss = { objective: "nll", aggregate: "token_mean" })))).toEqual([
      "loss-objective: the RL stage `rl` has a nll loss, not ppo",
    ]);
  });

  it("refuses names that name nothing, and names used twice", () => {
    expect(brief(broken((_, rl) => (node(rl, "Sample").data = "nowhere")))).toEqual(["references: the plan has no dataset `nowhere`"]);
    expect(brief(broken((_, rl) => (node(rl, "Score").reward = "nothing")))).toContain("references: the plan has no reward source `nothing`");
    expect(brief(broken((plan) => plan.stages.push(structuredClone(stageNamed(plan, "warmup")))))).toContain("unique-names: two stages are named `warmup`");
    expect(brief(broken((plan) => plan.datasets.push(structuredClone(nth(plan.datasets, 0)))))).toEqual([
      `unique-names: two datasets are named \`${nth(FLAGSHIP.datasets, 0).name}\``,
    ]);
  });

  it("refuses a graph that reads a node before computing it", () => {
    const issues = broken((_, rl) => rl.graph.reverse());
    expect(issues.some((i) => i.rule === "graph-order" && i.message === "node `step` reads `expert`, which comes after it")).toBe(true);
  });

  it("refuses PROF, credit and combined rewards of granularities that do not fit", () => {
    const filter = broken((_, rl) => node(rl, "Filter").inputs.reverse());
    expect(brief(filter)).toEqual([
      "filter-inputs: PROF reads `score.prm` (a process reward), `score.correct` (an outcome reward); it reads an outcome reward, then a process reward",
    ]);
    const credit = broken((_, rl) => (node(rl, "Credit").credit = { kind: "sum_form", gamma: 1 }));
    expect(credit.map((i) => [i.rule, i.message, i.at.path])).toEqual([
      ["credit-inputs", "sum_form credit needs step-level rewards, and `score.correct` is an outcome reward", ["credit"]],
    ]);
    const combined = planOf(recipe("  reward = 2 * steps - 1 + at_end(correct)", PRM));
    const mixed = broken((_, rl) => {
      const combine = node(rl, "Combine");
      combine.expr = { op: "+", left: { op: "value", node: "score.steps" }, right: { op: "value", node: "score.correct" } };
    }, combined);
    expect(brief(mixed)).toEqual(["reward-expressions: `+` of a process reward and an outcome reward"]);
    const said = broken((_, rl) => (node(rl, "Combine").granularity = "outcome"), combined);
    expect(brief(said)).toContain("reward-expressions: the reward expression of `combine` is a process reward, but the node says an outcome reward");
  });

  it("takes a null control with outcome credit, and refuses one with step credit, at the control", () => {
    const control = planOf(recipe("  reward = correct\n  control = shuffled_advantages"));
    expect(checkPlan(control)).toEqual([]);
    const stepCredit = broken(
      (_, rl) => (node(rl, "Credit").credit = { kind: "min_form", temperature: 0.1, strict: false }),
      planOf(recipe("  reward = 2 * steps - 1\n  control = shuffled_advantages")),
    );
    expect(stepCredit.map((i) => [i.rule, i.message, i.at])).toEqual([
      [
        "advantage-control",
        "the null control `shuffled_advantages` permutes one advantage per response, and `min_form` credit gives one per token",
        { in: "node", stage: "rl", node: "advantage", path: ["control"] },
      ],
    ]);
  });

  it("refuses a KL reference to a stage that has not run, and durations the runtime cannot count in steps", () => {
    const kl = broken((_, rl) => {
      const loss = node(rl, "Loss").loss;
      if (loss.objective === "ppo" && loss.kl) loss.kl.ref = { kind: "stage", stage: rl.name };
    });
    expect(brief(kl)).toEqual(["kl-reference: the KL reference `rl` does not run before stage `rl`"]);
    expect(brief(broken((plan) => (plan.settings.checkpoint_every = { value: 5, unit: "tokens" })))).toEqual([
      "step-durations: `checkpoint_every` is 5 tokens, which is not a number of steps",
    ]);
  });

  it("has a summary for every rule (what E3107 shows under its caret)", () => {
    for (const rule of Object.values(PLAN_RULES)) expect(rule.summary.length).toBeGreaterThan(20);
  });
});

describe("describeIssues", () => {
  it("names where each issue is, for a message about a plan file", () => {
    const issues = broken((plan, rl) => {
      node(rl, "Advantage").ops = [{ kind: "whiten" }, { kind: "rloo" }];
      plan.settings.checkpoint_every = { value: 5, unit: "tokens" };
    });
    expect(describeIssues(issues)).toBe(
      [
        "the plan breaks 2 rules the runtime relies on:",
        "  stage `rl`, node `advantage`.ops[1]: the advantage applies `rloo` after `whiten` (write `rloo |> whiten`)",
        "  settings.checkpoint_every: `checkpoint_every` is 5 tokens, which is not a number of steps",
      ].join("\n"),
    );
  });
});

/**
 * What each export target can express, as data: one row per feature a recipe can use inside its
 * stages, with the targets that support it and what to do on the others. `roux check --target`
 * reports a row's uses as E3401 (check-export.ts); the lowerings (verl.ts, trinity.ts) may then
 * assume every feature they meet is one their target has. The rows here hold at any engine
 * release (the engines lack the feature by design); the rows that depend on what a release
 * registers are computed from the facts at the pins (fact-capabilities.ts). The run block's own
 * rows (hub model or built model) are in compiler/check/target.ts, where the checker sees them.
 */
import { findNode, nodeOf } from "../plan/nodes.js";
import type { Plan, RewardExpr, RlStage, Stage } from "../../plan/plan.js";
import { children } from "../../plan/reward-expr.js";
import { advantageOps, expertOf, type Feature, inRl, ppo, rlStages } from "./plan-uses.js";

/** The reward expression operators the generated Python reward module evaluates. */
export const PYTHON_REWARD_OPS: ReadonlySet<RewardExpr["op"]> = new Set(["value", "const", "+", "-", "*", "/", "neg", "clip", "threshold"]);

/** The reward sources the generated Python reward module implements. */
export const PYTHON_VERIFIERS: ReadonlySet<string> = new Set(["exact_match", "numeric_match", "regex_match"]);

/** The datasets a stage reads: its prompts or examples, its expert data, its eval data. */
function stageDatasets(stage: Stage): { name: string; field: string }[] {
  const data = stage.graph.flatMap((n) =>
    n.op === "Sample" || n.op === "Batch" ? [{ name: n.data, field: "data" }] : n.op === "Expert" ? [{ name: n.expert.data, field: "expert" }] : [],
  );
  return stage.eval ? [...data, { name: stage.eval.data, field: "eval" }] : data;
}

/** The reward expression of an RL stage: its Combine node's, or the one scored source. */
function rewardExprOf(stage: RlStage): RewardExpr | undefined {
  const combine = findNode(stage.graph, "Combine");
  if (combine) return combine.expr;
  const score = findNode(stage.graph, "Score");
  return score ? { op: "value", node: score.id } : undefined;
}

function allOps(expr: RewardExpr): RewardExpr["op"][] {
  return [expr.op, ...children(expr).flatMap(allOps)];
}

/** The stage a KL term may refer to on an engine: the policy the stage starts from. */
function startingPolicy(plan: Plan, index: number): string | null {
  return plan.stages[index - 1]?.name ?? null;
}

const LOCAL_ONLY = ["local"] as const;

export const FEATURES: readonly Feature[] = [
  {
    name: "a second RL stage",
    supported: ["local", "trinity"],
    help: "one verl job trains one RL stage: export each stage as its own recipe, or export to Trinity-RFT",
    find: (plan) =>
      rlStages(plan)
        .slice(1)
        .map(({ index }) => ({ stage: index, field: "" })),
  },
  {
    name: "a generated task dataset (`std/...`)",
    supported: LOCAL_ONLY,
    help: "an engine reads its data from files: write the examples to a JSON Lines file and declare it with `jsonl(...)`",
    find: (plan) => {
      const generated = new Set(plan.datasets.filter((d) => d.source.kind === "task").map((d) => d.name));
      return plan.stages.flatMap((stage, index) =>
        stageDatasets(stage)
          .filter((d) => generated.has(d.name))
          .map((d) => ({ stage: index, field: d.field })),
      );
    },
  },
  {
    name: "dataset transforms (`take`, `shuffle`)",
    supported: LOCAL_ONLY,
    help: "an engine reads the whole file and shuffles it itself: write the subset you want to its own JSONL file",
    find: (plan) => {
      const transformed = new Set(plan.datasets.filter((d) => d.transforms.length > 0).map((d) => d.name));
      return plan.stages.flatMap((stage, index) =>
        stageDatasets(stage)
          .filter((d) => transformed.has(d.name))
          .map((d) => ({ stage: index, field: d.field })),
      );
    },
  },
  {
    name: "a reward source other than `exact_match`, `numeric_match` and `regex_match`",
    supported: LOCAL_ONLY,
    help: "the exported Python reward module implements the rule verifiers only; score task verifiers, ONNX and JS rewards in a reward function of your own",
    find: inRl("reward", (stage, plan) => {
      const kinds = new Map(plan.rewards.map((r) => [r.name, r.source.kind]));
      return stage.graph.some((n) => n.op === "Score" && !PYTHON_VERIFIERS.has(kinds.get(n.reward) ?? ""));
    }),
  },
  {
    name: "the PROF filter (`prof(...)`)",
    supported: LOCAL_ONLY,
    help: "mainline verl and Trinity-RFT have no process-consistency filter; export the outcome reward alone",
    find: inRl("reward", (stage) => findNode(stage.graph, "Filter") !== undefined),
  },
  {
    name: "a step-level reward expression (`at_end`, `each_step`, `renorm`, `gate`)",
    supported: LOCAL_ONLY,
    help: "the engines score a response with one number: use a weighted sum of outcome verifiers",
    find: inRl("reward", (stage) => {
      const expr = rewardExprOf(stage);
      return expr !== undefined && allOps(expr).some((op) => !PYTHON_REWARD_OPS.has(op));
    }),
  },
  {
    name: "min-form credit (`min_form`)",
    supported: LOCAL_ONLY,
    help: "mainline verl and Trinity-RFT assign outcome credit only (PURE's min-form lives in a fork of verl): use `credit = outcome`",
    find: inRl("credit", (stage) => nodeOf(stage.graph, "Credit").credit.kind === "min_form"),
  },
  {
    name: "sum-form credit (`sum_form`)",
    supported: LOCAL_ONLY,
    help: "mainline verl and Trinity-RFT assign outcome credit only: use `credit = outcome`",
    find: inRl("credit", (stage) => nodeOf(stage.graph, "Credit").credit.kind === "sum_form"),
  },
  {
    name: "a composed advantage (`|> whiten`, `|> empg(...)`)",
    supported: LOCAL_ONLY,
    help: "the engines' estimators are single functions: use `group_norm` or `rloo` alone",
    find: inRl("advantage", (stage) => {
      const [op, ...more] = advantageOps(stage);
      return op === undefined || more.length > 0 || !["group_norm", "rloo"].includes(op.kind);
    }),
  },
  {
    name: "the null control (`control = shuffled_advantages`)",
    supported: LOCAL_ONLY,
    help: "verl and Trinity-RFT have no option to permute advantages within a group: run the control with `roux run`, or export the method without `control`",
    find: inRl("control", (stage) => nodeOf(stage.graph, "Advantage").control !== undefined),
  },
  {
    name: "a KL reference other than the policy the stage starts from",
    supported: LOCAL_ONLY,
    help: "an engine's reference model is the policy loaded when the stage starts: refer to the stage just before this one (or `init` for the first)",
    find: inRl("loss", (stage, plan, index) => {
      const ref = ppo(stage).kl?.ref;
      return ref !== undefined && (ref.kind === "init" ? null : ref.stage) !== startingPolicy(plan, index);
    }),
  },
  {
    name: "a weighted expert mix (`expert = mix { ... }`)",
    supported: LOCAL_ONLY,
    help: "use `chord { ... }` with Trinity-RFT",
    find: inRl("expert", (stage) => expertOf(stage)?.method === "mix"),
  },
  {
    name: "a CHORD μ schedule other than a constant or `warmup_cosine` in steps",
    supported: LOCAL_ONLY,
    help: "Trinity-RFT's mix_chord schedules μ with a warm-up then a cosine decay: write `mu = warmup_cosine(...)` or a number",
    find: inRl("expert", (stage) => {
      const expert = expertOf(stage);
      if (expert?.method !== "chord") return false;
      const mu = expert.mu;
      return mu.schedule === "warmup_cosine" ? mu.warmup.unit !== "steps" || mu.decay.unit !== "steps" : mu.schedule !== "constant";
    }),
  },
  {
    name: "a loss aggregate other than `token_mean` with CHORD",
    supported: LOCAL_ONLY,
    help: "the CHORD term averages the expert rows over tokens (docs/algorithms.md §2.3), and Trinity-RFT's mix_chord scales its two parts per batch: use `aggregate = token_mean`",
    find: inRl("loss", (stage) => expertOf(stage)?.method === "chord" && ppo(stage).aggregate !== "token_mean"),
  },
  {
    name: "an eval cadence in epochs",
    supported: LOCAL_ONLY,
    help: "the engines evaluate every N steps: write `every = N steps`",
    find: (plan) => plan.stages.flatMap((stage, index) => (stage.eval && stage.eval.every.unit !== "steps" ? [{ stage: index, field: "eval" }] : [])),
  },
  {
    name: "a learning-rate schedule",
    supported: LOCAL_ONLY,
    help: "the exports set a constant learning rate: write `lr` as a number",
    find: (plan) =>
      plan.stages.flatMap((stage, index) => (nodeOf(stage.graph, "Step").optimizer.lr.schedule === "constant" ? [] : [{ stage: index, field: "optimizer" }])),
  },
  {
    name: "dynamic sampling (`dynamic_sampling = { ... }`)",
    supported: LOCAL_ONLY,
    // verl's `algorithm.filter_groups` is read only by its DAPO recipe trainer, a separate entry
    // point; the PPO trainer the export runs would accept the keys and sample without refills.
    help:
      "the export runs verl's PPO trainer (verl.trainer.main_ppo), which has no dynamic sampling, and Trinity-RFT has none: leave it out " +
      "(verl's separate DAPO recipe trainer has it, as `algorithm.filter_groups` with `max_num_gen_batches` = max_refills + 1)",
    find: inRl("dynamic_sampling", (stage) => stage.dynamic_sampling !== null),
  },
  {
    name: "`ppo_epochs` above 1",
    supported: ["local", "verl"],
    help: "Trinity-RFT's top-level config has no PPO epochs: export to verl (`actor.ppo_epochs`)",
    find: inRl("ppo_epochs", (stage) => stage.ppo_epochs !== 1),
  },
];

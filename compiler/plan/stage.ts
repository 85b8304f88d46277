/**
 * One stage to its dataflow graph (docs/architecture.md "The Plan"): for RL
 * `Sample → Score(reward i) → Filter(PROF) → Combine → Credit → Advantage → Loss → Expert → Step`
 * (Filter only with `prof`, Combine only when the reward expression is more than one source,
 * Expert only with `expert =`), for SFT `Batch → Loss → Step`. Each reference to a reward source
 * gets its own Score node here; the sharing pass (share.ts) merges those that score the same.
 */
import type { Checked } from "../values.js";
import type { Catalog } from "./catalog.js";
import type { DraftNode, DraftStage } from "./draft.js";
import { Names } from "./names.js";
import type { Provenance } from "./provenance.js";
import type { PlanLocation, PlanPath } from "../../plan/plan-issue.js";
import type { AdvantageNode, AdvantageOp, Aggregate, Credit, DynamicSampling, Eval, Expert, Kl, Loss, Optimizer, RewardExpr } from "../../plan/plan.js";
import { bool, builtinOf, duration, field, LoweringError, need, num, optionalNum, range, schedule } from "./read.js";
import { printRewardExpr, valueNodes } from "../../plan/reward-expr.js";
import { rewardTree, type Leaves } from "./reward-tree.js";

export interface StageContext {
  catalog: Catalog;
  /** The plan name of a stage of the run (a KL reference). */
  stageName(stage: Checked): string;
  provenance: Provenance;
}

/** Records where the parts of one stage came from, by node id and field path. */
class StageSpans {
  constructor(
    private readonly stage: string,
    private readonly provenance: Provenance,
  ) {}

  stageField(path: PlanPath, value: Checked | undefined): void {
    this.provenance.record({ in: "stage", stage: this.stage, path }, value?.span);
  }

  node(id: string, path: PlanPath, value: Checked | undefined): void {
    const at: PlanLocation = { in: "node", stage: this.stage, node: id, path };
    this.provenance.record(at, value?.span);
  }
}

export function lowerStage(stage: Checked, name: string, context: StageContext): DraftStage {
  const kind = builtinOf(stage);
  const spans = new StageSpans(name, context.provenance);
  if (kind === "rl") return lowerRl(stage, name, context, spans);
  if (kind === "sft") return lowerSft(stage, name, context.catalog, spans);
  throw new LoweringError(`\`${kind}\` is not a stage`);
}

function lowerSft(stage: Checked, name: string, catalog: Catalog, spans: StageSpans): DraftStage {
  const length = field(stage, "epochs") ?? field(stage, "steps");
  if (length === undefined) throw new LoweringError(`sft stage \`${name}\` has neither epochs nor steps`);
  spans.stageField(["length"], length);
  spans.node("batch", [], field(stage, "data"));
  stepSpans(spans, need(stage, "optimizer"));
  return {
    kind: "sft",
    name,
    length: duration(length),
    batch: num(need(stage, "batch")),
    eval: lowerEval(field(stage, "eval"), name, catalog, spans),
    graph: [
      { id: "batch", op: "Batch", inputs: [], data: catalog.dataset(need(stage, "data"), `${name}.data`) },
      { id: "loss", op: "Loss", inputs: ["batch"], loss: { objective: "nll", aggregate: "token_mean" } },
      { id: "step", op: "Step", inputs: ["loss"], optimizer: optimizer(need(stage, "optimizer")) },
    ],
  };
}

function stepSpans(spans: StageSpans, value: Checked): void {
  spans.node("step", [], value);
  spans.node("step", ["optimizer", "lr"], field(value, "lr"));
}

function lowerRl(stage: Checked, name: string, context: StageContext, spans: StageSpans): DraftStage {
  const { catalog } = context;
  const sampling = need(stage, "sample");
  spans.stageField(["length"], field(stage, "steps"));
  spans.node("sample", [], sampling);
  spans.node("sample", ["data"], field(stage, "data"));
  const graph = new RlGraph(name, catalog, spans, {
    id: "sample",
    op: "Sample",
    inputs: [],
    data: catalog.dataset(need(stage, "data"), `${name}.data`),
    temperature: num(need(sampling, "temperature")),
    top_p: num(need(sampling, "top_p")),
    max_tokens: duration(need(sampling, "max_tokens")).value,
  });
  const reward = graph.value(need(stage, "reward"));
  spans.node("credit", [], field(stage, "credit"));
  graph.add({ id: "credit", op: "Credit", inputs: [reward, ...graph.filters], credit: credit(need(stage, "credit")) });
  const chain = advantageChain(need(stage, "advantage"));
  spans.node("advantage", [], field(stage, "advantage"));
  for (const [i, op] of chain.entries()) spans.node("advantage", ["ops", i], op);
  const control = field(stage, "control");
  spans.node("advantage", ["control"], control);
  graph.add({ id: "advantage", op: "Advantage", inputs: ["credit"], ops: chain.map(advantageOp), ...(control && { control: controlOf(control) }) });
  const loss = need(stage, "loss");
  spans.node("loss", [], loss);
  spans.node("loss", ["loss", "kl"], field(loss, "kl"));
  spans.node("loss", ["loss", "kl", "ref"], field(loss, "kl") && field(need(loss, "kl"), "ref"));
  graph.add({ id: "loss", op: "Loss", inputs: ["advantage", "sample"], loss: ppoLoss(loss, context) });
  const expert = field(stage, "expert");
  if (expert) {
    spans.node("expert", [], expert);
    for (const key of ["data", "mu", "weight"]) spans.node("expert", ["expert", key], field(expert, key));
    graph.add({ id: "expert", op: "Expert", inputs: ["loss"], expert: lowerExpert(expert, name, catalog) });
  }
  stepSpans(spans, need(stage, "optimizer"));
  graph.add({ id: "step", op: "Step", inputs: [expert ? "expert" : "loss"], optimizer: optimizer(need(stage, "optimizer")) });
  return {
    kind: "rl",
    name,
    length: duration(need(stage, "steps")),
    batch: num(need(stage, "batch")),
    group: num(need(stage, "group")),
    ppo_epochs: num(need(stage, "ppo_epochs")),
    dynamic_sampling: lowerDynamicSampling(field(stage, "dynamic_sampling"), spans),
    eval: lowerEval(field(stage, "eval"), name, catalog, spans),
    graph: graph.nodes(),
  };
}

/** An RL stage's nodes; Score nodes are kept together after Sample, in the order of first use. */
class RlGraph {
  private readonly ids = new Names();
  private readonly scores: DraftNode[] = [];
  private readonly others: DraftNode[] = [];
  readonly filters: string[] = [];

  constructor(
    private readonly stage: string,
    private readonly catalog: Catalog,
    private readonly spans: StageSpans,
    private readonly sample: DraftNode,
  ) {
    for (const fixed of ["sample", "credit", "advantage", "loss", "expert", "step"]) this.ids.claim(fixed);
  }

  add(node: DraftNode): void {
    this.others.push(node);
  }

  nodes(): DraftNode[] {
    return [this.sample, ...this.scores, ...this.others];
  }

  /** The node whose output is the reward expression's value, adding the nodes that compute it. */
  value(expr: Checked): string {
    const tree = rewardTree(expr, { source: (s) => ({ op: "value", node: this.score(s) }), prof: (p) => this.prof(p) });
    if (tree.op === "value") return tree.node;
    if (expr.reward === undefined) throw new LoweringError("a reward expression without a granularity");
    const id = this.ids.claim("combine");
    this.spans.node(id, [], expr);
    this.others.push({ id, op: "Combine", inputs: valueNodes(tree), expr: tree, granularity: expr.reward.granularity });
    return id;
  }

  private score(source: Checked): string {
    const reward = this.catalog.reward(source, `${this.stage}.reward`);
    const id = this.ids.claim(`score.${reward}`);
    this.spans.node(id, [], source);
    this.scores.push({ id, op: "Score", inputs: ["sample"], reward });
    return id;
  }

  /** PROF (docs/algorithms.md §3): a Filter node; its value is the outcome's. */
  private prof(call: Checked): RewardExpr {
    const outcome = this.value(need(call, "outcome"));
    const process = this.value(need(call, "process"));
    const id = this.ids.claim("filter");
    this.spans.node(id, [], call);
    const filter = {
      kind: "prof" as const,
      remove: num(need(call, "remove")),
      length_penalty: num(need(call, "length_penalty")),
      step_bounds: range(need(call, "step_bounds")),
    };
    this.others.push({ id, op: "Filter", inputs: [outcome, process], filter });
    this.filters.push(id);
    return { op: "value", node: outcome };
  }
}

function credit(value: Checked): Credit {
  const kind = builtinOf(value);
  switch (kind) {
    case "outcome":
      return { kind };
    case "sum_form":
      return { kind, gamma: num(need(value, "gamma")) };
    case "min_form":
      return { kind, temperature: num(need(value, "temperature")), strict: bool(need(value, "strict")) };
  }
  throw new LoweringError(`\`${kind}\` is not a credit assignment`);
}

/** The ops of an advantage, in the order they apply: `rloo |> whiten` is whiten applied to rloo. */
function advantageChain(value: Checked): Checked[] {
  const input = field(value, "input");
  return [...(input ? advantageChain(input) : []), value];
}

function advantageOp(value: Checked): AdvantageOp {
  const kind = builtinOf(value);
  switch (kind) {
    case "group_norm":
      return { kind, std: bool(need(value, "std")), eps: num(need(value, "eps")) };
    case "rloo":
    case "whiten":
      return { kind };
    case "empg":
      return { kind, k: num(need(value, "k")), k_future: num(need(value, "k_future")), zeta: num(need(value, "zeta")) };
  }
  throw new LoweringError(`\`${kind}\` is not an advantage`);
}

/** A control run in place of the method (docs/algorithms.md §1.11); the plan leaves the field out for the method itself. */
function controlOf(value: Checked): NonNullable<AdvantageNode["control"]> {
  const kind = builtinOf(value);
  if (kind !== "shuffled_advantages") throw new LoweringError(`\`${kind}\` is not a control`);
  return kind;
}

const AGGREGATES: readonly Aggregate[] = ["token_mean", "seq_mean_token_mean", "seq_mean_token_sum", "seq_mean_token_sum_norm"];

function ppoLoss(value: Checked, context: StageContext): Loss {
  const aggregate = builtinOf(need(value, "aggregate"));
  if (!AGGREGATES.includes(aggregate as Aggregate)) throw new LoweringError(`\`${aggregate}\` is not an aggregation`);
  const kl = field(value, "kl");
  return {
    objective: "ppo",
    clip: num(need(value, "clip")),
    clip_high: optionalNum(field(value, "clip_high")),
    dual_clip: num(need(value, "dual_clip")),
    entropy: num(need(value, "entropy")),
    aggregate: aggregate as Aggregate,
    kl: kl === undefined ? null : klTerm(kl, context),
  };
}

function klTerm(value: Checked, context: StageContext): Kl {
  const estimator = builtinOf(value);
  if (estimator !== "k1" && estimator !== "k3") throw new LoweringError(`\`${estimator}\` is not a KL estimator`);
  const ref = need(value, "ref");
  return {
    estimator,
    coef: num(need(value, "coef")),
    ref: ref.type.kind === "Init" ? { kind: "init" } : { kind: "stage", stage: context.stageName(ref) },
  };
}

function lowerExpert(value: Checked, stage: string, catalog: Catalog): Expert {
  const method = builtinOf(value);
  const data = catalog.dataset(need(value, "data"), `${stage}.expert.data`);
  if (method === "chord") return { method, data, mu: schedule(need(value, "mu")), phi: bool(need(value, "phi")), ratio: num(need(value, "ratio")) };
  if (method === "mix") return { method, data, weight: schedule(need(value, "weight")) };
  throw new LoweringError(`\`${method}\` is not an expert`);
}

function optimizer(value: Checked): Optimizer {
  const kind = builtinOf(value);
  if (kind !== "adam") throw new LoweringError(`\`${kind}\` is not an optimizer`);
  return {
    kind,
    lr: schedule(need(value, "lr")),
    betas: (need(value, "betas").items ?? []).map(num),
    weight_decay: num(need(value, "weight_decay")),
    clip_grad: num(need(value, "clip_grad")),
  };
}

/** DAPO's dynamic sampling (docs/algorithms.md §1.10), when the stage asks for it. */
function lowerDynamicSampling(value: Checked | undefined, spans: StageSpans): DynamicSampling | null {
  if (value === undefined) return null;
  spans.stageField(["dynamic_sampling"], value);
  spans.stageField(["dynamic_sampling", "max_refills"], field(value, "max_refills"));
  return { max_refills: num(need(value, "max_refills")) };
}

/** An eval block; its rewards are scored directly from sources (PROF's filter does not apply). */
function lowerEval(value: Checked | undefined, stage: string, catalog: Catalog, spans: StageSpans): Eval | null {
  if (value === undefined) return null;
  spans.stageField(["eval"], value);
  spans.stageField(["eval", "data"], field(value, "data"));
  spans.stageField(["eval", "every"], field(value, "every"));
  need(value, "rewards").items?.forEach((item, i) => {
    spans.stageField(["eval", "rewards", i], item);
  });
  const leaves: Leaves = {
    source: (s) => ({ op: "reward", name: catalog.reward(s, `${stage}.eval.reward`) }),
    prof: (p) => rewardTree(need(p, "outcome"), leaves),
  };
  const rewards = (need(value, "rewards").items ?? []).map((item) => {
    const expr = rewardTree(item, leaves);
    return { label: item.declaration?.name ?? printRewardExpr(expr, (leaf) => (leaf.op === "reward" ? leaf.name : leaf.node)), expr };
  });
  return {
    data: catalog.dataset(need(value, "data"), `${stage}.eval.data`),
    every: duration(need(value, "every")),
    temperature: num(need(value, "temperature")),
    samples: num(need(value, "samples")),
    rewards,
  };
}

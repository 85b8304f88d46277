/**
 * How a plan's parts read in a drawing (docs/architecture.md "roux graph"): a node as its op and the
 * hyper-parameters that matter (`Loss(ppo clip=0.2, kl k3 0.001 → ref warmup, agg token_mean)`),
 * a value as its name and shape (`v[B,G,K]`), a stage by its kind and size. Shared by the text,
 * DOT and Mermaid backends so they all say the same thing.
 */
import type { AdvantageOp, Dim, Duration, Eval, Node, Output, Plan, Schedule, Stage } from "../../plan/plan.js";
import { printRewardExpr } from "../../plan/reward-expr.js";

/** 3e-4 rather than 0.0003; other numbers as JavaScript prints them. */
function numberText(n: number): string {
  return n !== 0 && Math.abs(n) < 1e-3 ? n.toExponential() : String(n);
}

/** Steps as a bare count (schedules run over the stage's steps); other units spelled out. */
function durationText(d: Duration, bareSteps = true): string {
  return bareSteps && d.unit === "steps" ? String(d.value) : `${d.value} ${d.value === 1 ? d.unit.replace(/s$/, "") : d.unit}`;
}

function scheduleText(s: Schedule): string {
  switch (s.schedule) {
    case "constant":
      return numberText(s.value);
    case "linear":
    case "cosine":
      return `${s.schedule}(${numberText(s.from)}→${numberText(s.to)}, ${durationText(s.over)})`;
    case "warmup_cosine":
      return `warmup_cosine(${numberText(s.peak)}→${numberText(s.valley)}, ${durationText(s.warmup)}, ${durationText(s.decay)})`;
  }
}

function dimText(d: Dim): string {
  return d.max === undefined ? d.symbol : `${d.symbol}≤${d.max}`;
}

/** `v[B,G,K]`; a scalar is its name alone. */
export function outputText(output: Output): string {
  return output.shape.length === 0 ? output.name : `${output.name}[${output.shape.map(dimText).join(",")}]`;
}

/** `stage rl (rl, 200 steps, B=16 prompts x G=8)`. */
export function stageTitle(stage: Stage): string {
  const size = stage.kind === "rl" ? `B=${stage.batch} prompts x G=${stage.group}` : `B=${stage.batch}`;
  return `stage ${stage.name} (${stage.kind}, ${durationText(stage.length, false)}, ${size})`;
}

export function evalText(e: Eval): string {
  // An eval that samples also answers greedily (docs/language.md §5): say both, and how many samples.
  const sampled = `${e.samples} sample${e.samples === 1 ? "" : "s"} at temperature ${numberText(e.temperature)}`;
  const answers = e.temperature > 0 ? `greedy, and ${sampled}` : `temperature ${numberText(e.temperature)}`;
  return `eval every ${durationText(e.every, false)} on ${e.data} (${answers}): ${e.rewards.map((r) => r.label).join(", ")}`;
}

function advantageText(op: AdvantageOp): string {
  switch (op.kind) {
    case "group_norm":
      return op.std ? "group_norm" : "group_norm(std=false)";
    case "empg":
      return `empg(k=${numberText(op.k)}, k_future=${numberText(op.k_future)}, zeta=${numberText(op.zeta)})`;
    default:
      return op.kind;
  }
}

/** `name=value` for each setting that is present (undefined and null ones are left out). */
function settings(pairs: Record<string, string | number | null | undefined>): string {
  return Object.entries(pairs)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === "number" ? numberText(v) : v}`)
    .join(", ");
}

/** A node's label in a stage of `plan`: its op and what it is configured with. */
export function nodeLabel(node: Node, stage: Stage, plan: Plan): string {
  switch (node.op) {
    case "Sample":
      return `Sample(${plan.policy.name}, ${node.data}, ${settings({ temperature: node.temperature, top_p: node.top_p < 1 ? node.top_p : undefined })})`;
    case "Score": {
      const granularity = plan.rewards.find((r) => r.name === node.reward)?.granularity;
      return `Score(${node.reward}: ${granularity})`;
    }
    case "Filter": {
      const f = node.filter;
      return `Filter(PROF ${settings({ remove: f.remove, length_penalty: f.length_penalty > 0 ? f.length_penalty : undefined })})`;
    }
    case "Combine":
      return `Combine(${printRewardExpr(node.expr, (leaf) => (leaf.op === "reward" ? leaf.name : valueName(leaf.node, stage)))})`;
    case "Credit": {
      const c = node.credit;
      if (c.kind === "sum_form") return `Credit(sum_form gamma=${numberText(c.gamma)})`;
      if (c.kind === "min_form") return `Credit(min_form ${c.strict ? "strict" : `temperature=${numberText(c.temperature)}`})`;
      return "Credit(outcome)";
    }
    case "Advantage":
      // A control says so in the graph: its advantages are not the method's (docs/algorithms.md §1.11).
      return `Advantage(${node.ops.map(advantageText).join(" |> ")}${node.control ? `, control ${node.control}` : ""})`;
    case "Loss": {
      const l = node.loss;
      if (l.objective === "nll") return `Loss(nll, agg ${l.aggregate})`;
      const kl = l.kl && `kl ${l.kl.estimator} ${numberText(l.kl.coef)} → ref ${l.kl.ref.kind === "init" ? "init" : l.kl.ref.stage}`;
      const parts = [settings({ clip: l.clip, clip_high: l.clip_high, entropy: l.entropy > 0 ? l.entropy : undefined }), kl, `agg ${l.aggregate}`];
      return `Loss(ppo ${parts.filter(Boolean).join(", ")})`;
    }
    case "Expert": {
      const e = node.expert;
      if (e.method === "mix") return `Expert(mix weight=${scheduleText(e.weight)}, from ${e.data})`;
      return `Expert(chord mu=${scheduleText(e.mu)}${e.phi ? ", phi" : ""}, ${Math.round(e.ratio * 100)}% of batch from ${e.data})`;
    }
    case "Batch":
      return `Batch(${node.data})`;
    case "Step": {
      const o = node.optimizer;
      return `Step(${o.kind} ${settings({ lr: scheduleText(o.lr), weight_decay: o.weight_decay > 0 ? o.weight_decay : undefined, clip_grad: o.clip_grad })})`;
    }
  }
}

/** A graph value as a reward expression names it: a scored reward by the reward's name. */
function valueName(id: string, stage: Stage): string {
  const node = stage.graph.find((n) => n.id === id);
  return node?.op === "Score" ? node.reward : id;
}

/**
 * What an RL stage's graph (plan/plan.ts) says about rewards, read once: the sources
 * it scores, the nodes that combine them, PROF's filter, and the ops pipeline's configuration
 * (runtime/ops/pipeline.ts) from the Credit and Advantage nodes. The plan is the only input,
 * and one that keeps the plan's rules (plan/check-plan.ts, which the runtime applies to every
 * plan it is handed): a graph that breaks them (a missing Credit node, an unknown source) is a
 * bug upstream and throws a plain Error.
 */
import type { CombineNode, Expert, FilterNode, Loss, Node, Optimizer, Plan, RewardSource, RlStage, SampleNode, ScoreNode } from "../../plan/plan.js";
import type { AdvantageOp, Credit, PipelineConfig } from "../ops/pipeline.js";
import { RewardGraphError } from "./errors.js";
import { checkPlan } from "../../plan/check-plan.js";
import { describeIssues } from "../../plan/plan-issue.js";

export interface StageGraph {
  readonly stage: RlStage;
  /** Score nodes with their sources, in graph order. */
  readonly scores: readonly { readonly node: ScoreNode; readonly source: RewardSource }[];
  /** Score and Combine nodes, in graph order: each comes after the nodes it reads. */
  readonly valueNodes: readonly (ScoreNode | CombineNode)[];
  /** PROF, when the reward expression has one. */
  readonly filter: FilterNode | undefined;
  /** The node whose value the Credit node credits. */
  readonly reward: string;
  readonly config: PipelineConfig;
  readonly sample: SampleNode;
  readonly loss: Extract<Loss, { objective: "ppo" }>;
  readonly expert: Expert | undefined;
  /** The Step node's optimizer. */
  readonly optimizer: Optimizer;
}

export function readStageGraph(plan: Plan, stage: RlStage): StageGraph {
  // A plan is input too (a plan file, a run's plan.json): its rules are checked before any is relied on.
  const issues = checkPlan(plan);
  if (issues.length > 0) throw new RewardGraphError(describeIssues(issues));
  const sources = new Map(plan.rewards.map((r) => [r.name, r]));
  const scores: { node: ScoreNode; source: RewardSource }[] = [];
  const valueNodes: (ScoreNode | CombineNode)[] = [];
  const filters: FilterNode[] = [];
  for (const node of stage.graph) {
    if (node.op === "Score") {
      const source = sources.get(node.reward);
      if (source === undefined) throw new Error(`plan: stage \`${stage.name}\` scores \`${node.reward}\`, which is not a reward source of the plan`);
      scores.push({ node, source });
      valueNodes.push(node);
    } else if (node.op === "Combine") {
      valueNodes.push(node);
    } else if (node.op === "Filter") {
      filters.push(node);
    }
  }
  // The ops pipeline runs one filter per step; the language gives a stage at most one `prof`
  // unless it nests them, which nothing needs yet.
  if (filters.length > 1) throw new RewardGraphError(`stage \`${stage.name}\` has ${filters.length} PROF filters; the runtime runs one per stage`);
  const filter = filters[0];
  for (const input of filter?.inputs ?? []) {
    if (!valueNodes.some((n) => n.id === input))
      throw new Error(`plan: the Filter node of stage \`${stage.name}\` reads \`${input}\`, which is not a Score or Combine node`);
  }
  const credit = only(stage, "Credit");
  const advantage = only(stage, "Advantage");
  const loss = only(stage, "Loss");
  if (loss.loss.objective !== "ppo") throw new Error(`plan: RL stage \`${stage.name}\` has a ${loss.loss.objective} loss`);
  const expert = stage.graph.find((n): n is Extract<Node, { op: "Expert" }> => n.op === "Expert");
  const reward = credit.inputs[0];
  if (reward === undefined || !valueNodes.some((n) => n.id === reward)) {
    throw new Error(`plan: the Credit node of stage \`${stage.name}\` reads \`${reward}\`, which is not a Score or Combine node`);
  }
  return {
    stage,
    scores,
    valueNodes,
    filter,
    reward,
    config: {
      credit: pipelineCredit(credit.credit),
      advantage: advantage.ops.map(pipelineAdvantage),
      filter: filter
        ? {
            kind: "prof",
            remove: filter.filter.remove,
            lengthPenalty: filter.filter.length_penalty,
            stepBounds: [filter.filter.step_bounds.lo, filter.filter.step_bounds.hi],
          }
        : { kind: "none" },
      ...(advantage.control && { control: advantage.control }),
    },
    sample: only(stage, "Sample"),
    loss: loss.loss,
    expert: expert?.expert,
    optimizer: only(stage, "Step").optimizer,
  };
}

function only<K extends Node["op"]>(stage: RlStage, op: K): Extract<Node, { op: K }> {
  const nodes = stage.graph.filter((n): n is Extract<Node, { op: K }> => n.op === op);
  const [node] = nodes;
  if (node === undefined || nodes.length > 1) throw new Error(`plan: RL stage \`${stage.name}\` has ${nodes.length} ${op} nodes, expected 1`);
  return node;
}

function pipelineCredit(credit: Extract<Node, { op: "Credit" }>["credit"]): Credit {
  switch (credit.kind) {
    case "outcome":
      return { kind: "outcome" };
    case "sum_form":
      return { kind: "sum_form", gamma: credit.gamma };
    case "min_form":
      return { kind: "min_form", temperature: credit.temperature, strict: credit.strict };
  }
}

function pipelineAdvantage(op: Extract<Node, { op: "Advantage" }>["ops"][number]): AdvantageOp {
  switch (op.kind) {
    case "group_norm":
      return { kind: "group_norm", std: op.std, eps: op.eps };
    case "rloo":
    case "whiten":
      return { kind: op.kind };
    case "empg":
      return { kind: "empg", k: op.k, kFuture: op.k_future, zeta: op.zeta };
  }
}

/**
 * Shape inference: names and shapes the value every node computes, in the symbols of
 * docs/algorithms.md "Notation" (B prompts or examples per step, G responses per prompt, T tokens, K steps of
 * a response), bound to numbers where the recipe fixes them: B and G exactly, T at most
 * `max_tokens` (RL) or the model's context (SFT). K is bounded only by T, so it stays symbolic.
 * A reward's shape follows its granularity: one value per response, per step or per token.
 */
import type { Granularity } from "../../grammar/ast.js";
import type { DraftNode, DraftPlan, DraftStage } from "./draft.js";
import type { Dim, Node, Output, Plan, Stage } from "../../plan/plan.js";

interface Dims {
  B: Dim;
  G: Dim;
  T: Dim;
  K: Dim;
}

export function inferShapes(plan: DraftPlan): Plan {
  const granularity = new Map(plan.rewards.map((r) => [r.name, r.granularity]));
  const context = plan.policy.kind === "transformer" ? plan.policy.context : undefined;
  const stages = plan.stages.map((stage): Stage => {
    const d = dims(stage, context);
    const graph = stage.graph.map((node) => shapeNode(node, d, (reward) => granularity.get(reward)));
    return { ...stage, graph };
  });
  return { ...plan, stages };
}

function dims(stage: DraftStage, context: number | undefined): Dims {
  const sample = stage.graph.find((n) => n.op === "Sample");
  const maxTokens = sample?.op === "Sample" ? sample.max_tokens : context;
  return {
    B: { symbol: "B", size: stage.batch },
    G: stage.kind === "rl" ? { symbol: "G", size: stage.group } : { symbol: "G" },
    T: maxTokens === undefined ? { symbol: "T" } : { symbol: "T", max: maxTokens },
    K: { symbol: "K" },
  };
}

/** Outcome y_i, process v_ik, token r_t: the names docs/algorithms.md gives them. */
function perResponse(name: { outcome: string; process: string; token: string }, granularity: Granularity, d: Dims): Output {
  const shape = { outcome: [d.B, d.G], process: [d.B, d.G, d.K], token: [d.B, d.G, d.T] }[granularity];
  return { name: name[granularity], shape };
}

function shapeNode(node: DraftNode, d: Dims, granularityOf: (reward: string) => Granularity | undefined): Node {
  const tokens = [d.B, d.G, d.T];
  switch (node.op) {
    case "Sample":
      return { ...node, output: { name: "rollouts", shape: tokens } };
    case "Score": {
      const granularity = granularityOf(node.reward);
      if (granularity === undefined) throw new Error(`shapes: Score node \`${node.id}\` scores \`${node.reward}\`, which is not a reward source of the plan`);
      return { ...node, output: perResponse({ outcome: "y", process: "v", token: "r_t" }, granularity, d) };
    }
    case "Filter":
      return { ...node, output: { name: "keep", shape: [d.B, d.G] } };
    case "Combine":
      return { ...node, output: perResponse({ outcome: "r", process: "r", token: "r" }, node.granularity, d) };
    case "Credit":
      return { ...node, output: { name: "returns", shape: tokens } };
    case "Advantage":
      return { ...node, output: { name: "A", shape: tokens } };
    case "Loss":
    case "Expert":
      return { ...node, output: { name: "loss", shape: [] } };
    case "Batch":
      return { ...node, output: { name: "tokens", shape: [d.B, d.T] } };
    case "Step":
      return node;
  }
}

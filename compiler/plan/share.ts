/**
 * Sharing (docs/architecture.md "The Plan"): a reward source is scored once per step however often the
 * stage's reward expression names it (`renorm(steps, correct) + at_end(correct)` scores
 * `correct` once). Score nodes are keyed by what they compute, the source and its granularity,
 * so two declarations of the same verifier or model also share one Score; readers of a merged
 * node read the one kept.
 */
import type { DraftNode, DraftPlan } from "./draft.js";
import type { RewardSource } from "../../plan/plan.js";
import { renameNodes, valueNodes } from "../../plan/reward-expr.js";
import { canonicalJson } from "../../plan/canonical-json.js";

export function shareScores(plan: DraftPlan): DraftPlan {
  const keys = new Map(plan.rewards.map((r) => [r.name, sourceKey(r)]));
  return { ...plan, stages: plan.stages.map((stage) => ({ ...stage, graph: shareGraph(stage.graph, keys) })) };
}

function shareGraph(graph: DraftNode[], keys: ReadonlyMap<string, string>): DraftNode[] {
  const scoredBy = new Map<string, string>();
  const merged = new Map<string, string>();
  const kept: DraftNode[] = [];
  for (const node of graph) {
    if (node.op === "Score") {
      const key = keys.get(node.reward) ?? node.reward;
      const first = scoredBy.get(key);
      if (first !== undefined) {
        merged.set(node.id, first);
        continue;
      }
      scoredBy.set(key, node.id);
    }
    kept.push(node);
  }
  const rename = (id: string) => merged.get(id) ?? id;
  return kept.map((node) => {
    if (node.op !== "Combine") return { ...node, inputs: node.inputs.map(rename) };
    const expr = renameNodes(node.expr, rename);
    return { ...node, expr, inputs: valueNodes(expr) };
  });
}

/** The same text for equal sources, whatever order their arguments were written in. */
function sourceKey(reward: RewardSource): string {
  return canonicalJson({ granularity: reward.granularity, source: reward.source });
}

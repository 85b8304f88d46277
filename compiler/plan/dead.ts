/**
 * Dead-node elimination (docs/architecture.md "The Plan"): a dataset or reward source that no stage graph
 * and no eval block reads is left out of the plan, so the runtime never loads a dataset or
 * opens a reward model for nothing. Lowering adds every declared one; this pass keeps the used.
 */
import type { DraftPlan } from "./draft.js";
import { leavesOf } from "../../plan/reward-expr.js";

export function eliminateDead(plan: DraftPlan): DraftPlan {
  const datasets = new Set<string>();
  const rewards = new Set<string>();
  for (const stage of plan.stages) {
    for (const node of stage.graph) {
      if (node.op === "Sample" || node.op === "Batch") datasets.add(node.data);
      if (node.op === "Expert") datasets.add(node.expert.data);
      if (node.op === "Score") rewards.add(node.reward);
    }
    if (stage.eval === null) continue;
    datasets.add(stage.eval.data);
    for (const { expr } of stage.eval.rewards) {
      for (const leaf of leavesOf(expr)) if (leaf.op === "reward") rewards.add(leaf.name);
    }
  }
  return {
    ...plan,
    datasets: plan.datasets.filter((d) => datasets.has(d.name)),
    rewards: plan.rewards.filter((r) => rewards.has(r.name)),
  };
}

/**
 * Which of an eval's values is its accuracy: the first of its rewards that is a binary outcome
 * reward source scored directly (`{op: "reward"}`), preferring a task's `answer_match`
 * verifier when there is one, since that is what "right answer" means for a task. Labels are
 * looked up in every eval block of the plan, so an eval written by `roux eval` (the last
 * block's rewards, or every source under its own name when there is no block) resolves too.
 */
import type { Plan, RewardSource } from "../../plan/plan.js";

export function accuracyLabel(plan: Plan, labels: readonly string[]): string | undefined {
  const byName = new Map(plan.rewards.map((r) => [r.name, r]));
  const sources = new Map(byName);
  for (const stage of plan.stages) {
    for (const { label, expr } of stage.eval?.rewards ?? []) {
      const source = expr.op === "reward" ? byName.get(expr.name) : undefined;
      if (source !== undefined) sources.set(label, source);
    }
  }
  const binaryOutcomes = labels.filter((label) => {
    const source = sources.get(label);
    return source !== undefined && source.granularity === "outcome" && source.binary;
  });
  return binaryOutcomes.find((label) => isAnswerMatch(sources.get(label)!)) ?? binaryOutcomes[0];
}

function isAnswerMatch(source: RewardSource): boolean {
  return source.source.kind === "task" && source.source.verifier === "answer_match";
}

/** The accuracy among an eval's values, for the plan's evals; undefined when none of them is one. */
export function evalAccuracy(plan: Plan): (values: Record<string, number>) => number | undefined {
  return (values) => {
    const label = accuracyLabel(plan, Object.keys(values));
    return label === undefined ? undefined : values[label];
  };
}

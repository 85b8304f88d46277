/**
 * Which of an eval's rewards are accuracies: a binary outcome reward source scored directly
 * (`{op: "reward"}`), an answer being right when it scores the source's top value. An eval
 * reports greedy and sampled accuracy and pass@k for each of them (docs/algorithms.md §10);
 * *the* eval's accuracy (`roux compare`, the terminal UI) is the first of them, a task's
 * `answer_match` verifier preferred, since that is what "right answer" means for a task.
 */
import type { Plan, RewardExpr, RewardSource } from "./plan.js";

/** The binary outcome source that `expr` scores directly; undefined when it is anything else. */
export function accuracySource(plan: Plan, expr: RewardExpr): RewardSource | undefined {
  const source = expr.op === "reward" ? plan.rewards.find((r) => r.name === expr.name) : undefined;
  return source?.granularity === "outcome" && source.binary ? source : undefined;
}

/**
 * The label among an eval's `labels` that is its accuracy, with the source it scores. Labels are
 * looked up in every eval block of the plan, and as source names, so an eval written by `roux
 * eval` (the last block's rewards, or every source under its own name when there is no block)
 * resolves too.
 */
export function evalAccuracy(plan: Plan, labels: readonly string[]): { label: string; source: RewardSource } | undefined {
  const exprs = new Map<string, RewardExpr>(plan.rewards.map((r) => [r.name, { op: "reward", name: r.name }]));
  for (const stage of plan.stages) for (const { label, expr } of stage.eval?.rewards ?? []) if (expr.op === "reward") exprs.set(label, expr);
  const accuracies = labels.flatMap((label) => {
    const expr = exprs.get(label);
    const source = expr === undefined ? undefined : accuracySource(plan, expr);
    return source === undefined ? [] : [{ label, source }];
  });
  return accuracies.find((a) => isAnswerMatch(a.source)) ?? accuracies[0];
}

/** The label among an eval's `labels` that is its accuracy (`evalAccuracy`). */
export function accuracyLabel(plan: Plan, labels: readonly string[]): string | undefined {
  return evalAccuracy(plan, labels)?.label;
}

function isAnswerMatch(source: RewardSource): boolean {
  return source.source.kind === "task" && source.source.verifier === "answer_match";
}

/**
 * What a rule of the plan is (plan/check-plan.ts holds the table of them), and the walks over a
 * plan's graph that several rules share.
 */
import type { Granularity, Node, Plan, RewardExpr, Stage } from "./plan.js";
import type { PlanLocation } from "./plan-issue.js";
import { leavesOf } from "./reward-expr.js";

export type Report = (at: PlanLocation, message: string, help?: string) => void;

export interface PlanRule {
  /** The rule, in a line: what E3107 shows under its caret. */
  readonly summary: string;
  check(plan: Plan, report: Report): void;
}

/** Visits every node of `op` in every stage, with the stage's nodes by id and the plan's reward sources' granularities. */
export function forEachNode<Op extends Node["op"]>(
  plan: Plan,
  op: Op,
  visit: (node: Extract<Node, { op: Op }>, stage: Stage, nodes: ReadonlyMap<string, Node>, sources: ReadonlyMap<string, Granularity>) => void,
): void {
  const sources = new Map(plan.rewards.map((r) => [r.name, r.granularity]));
  for (const stage of plan.stages) {
    const nodes = new Map(stage.graph.map((n) => [n.id, n]));
    for (const node of stage.graph) if (node.op === op) visit(node as Extract<Node, { op: Op }>, stage, nodes, sources);
  }
}

/** The granularity of a node's reward value; undefined for a node that has none (or none such). */
export function valueGranularity(node: Node | undefined, sources: ReadonlyMap<string, Granularity>): Granularity | undefined {
  if (node?.op === "Score") return sources.get(node.reward);
  if (node?.op === "Combine") return node.granularity;
  return undefined;
}

/** The node ids (`value`) or reward source names (`reward`) an expression reads. */
export function leafNames(expr: RewardExpr, op: "value" | "reward"): string[] {
  return leavesOf(expr).flatMap((leaf) => (leaf.op === "value" && op === "value" ? [leaf.node] : leaf.op === "reward" && op === "reward" ? [leaf.name] : []));
}

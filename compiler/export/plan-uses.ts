/**
 * Where a plan uses a feature, for the capability rows (capabilities.ts, fact-capabilities.ts):
 * a stage and the recipe field that asks for it, and the parts of an RL stage the rows test.
 */
import type { TargetFeature } from "../check/target.js";
import { findNode, nodeOf } from "../plan/nodes.js";
import type { Plan, RlStage } from "../../plan/plan.js";

/** Where a feature is used: a stage of the run (by position) and the recipe field that asks for it ("" for the stage as a whole). */
export interface Use {
  stage: number;
  field: string;
}

export interface Feature extends TargetFeature {
  find(plan: Plan): Use[];
}

export function rlStages(plan: Plan): { stage: RlStage; index: number }[] {
  return plan.stages.flatMap((stage, index) => (stage.kind === "rl" ? [{ stage, index }] : []));
}

/** Uses in every RL stage where `test` holds, at `field`. */
export function inRl(field: string, test: (stage: RlStage, plan: Plan, index: number) => boolean): (plan: Plan) => Use[] {
  return (plan) => rlStages(plan).flatMap(({ stage, index }) => (test(stage, plan, index) ? [{ stage: index, field }] : []));
}

export const advantageOps = (stage: RlStage) => nodeOf(stage.graph, "Advantage").ops;

export const ppo = (stage: RlStage) => {
  const loss = nodeOf(stage.graph, "Loss").loss;
  if (loss.objective !== "ppo") throw new Error(`RL stage ${stage.name} has a ${loss.objective} loss`);
  return loss;
};

export const expertOf = (stage: RlStage) => findNode(stage.graph, "Expert")?.expert;

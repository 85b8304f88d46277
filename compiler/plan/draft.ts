/**
 * A plan before shape inference: the same as a Plan but for node outputs, which shapes.ts
 * names and shapes last. Lowering and the passes before shapes work on drafts, so a Plan is
 * only ever seen complete.
 */
import type { Node, Plan, RlStage, SftStage } from "../../plan/plan.js";

type WithoutOutput<N> = N extends unknown ? Omit<N, "output"> : never;

export type DraftNode = WithoutOutput<Node>;

type DraftOf<S> = Omit<S, "graph"> & { graph: DraftNode[] };

export type DraftStage = DraftOf<SftStage> | DraftOf<RlStage>;

export type DraftPlan = Omit<Plan, "stages"> & { stages: DraftStage[] };

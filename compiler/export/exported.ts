/** What a target's lowering gives the exporter, and the plan facts every lowering reads alike. */
import type { Plan, Schedule } from "../../plan/plan.js";

/** A JSONL copy the launch script turns into the engine's own format before submitting. */
export interface Conversion {
  from: string;
  to: string;
  prompt: string;
  answer: string | null;
}

export interface ExportedConfig {
  /** The engine's config, in the order it is written. */
  config: Record<string, unknown>;
  /** What the export cannot carry over exactly, shown to the user. */
  notes: string[];
  conversions: Conversion[];
}

export function hubName(plan: Plan): string {
  if (plan.policy.kind !== "hf") throw new Error("the policy is not a hub model (roux check --target reports this)");
  return plan.policy.hub_name;
}

export function constantLr(lr: Schedule): number {
  if (lr.schedule !== "constant") throw new Error("the learning rate is scheduled (roux check --target reports this)");
  return lr.value;
}

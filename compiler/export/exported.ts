/** What a target's lowering gives the exporter, and the plan facts every lowering reads alike. */
import type { Plan, Schedule } from "../../plan/plan.js";

/** A JSONL copy the launch script turns into the engine's own format before submitting. */
export interface Conversion {
  /** The recipe's dataset, which names the rows' data source in the engine's metrics. */
  dataset: string;
  from: string;
  to: string;
  prompt: string;
  answer: string | null;
}

/**
 * The environment variable that holds the absolute folder checkpoints and logs go under. The
 * configs read it where they name a directory (never a relative path, which would land in the
 * copy of the export folder Ray makes for the job, and be lost with it), and the launch script
 * sets it in the job's environment, resolved from ROUX_OUT or the recipe's `run.out`.
 */
export const OUT_ENV = "ROUX_OUT";

/** The config value of the run folder, or of a folder under it: an OmegaConf interpolation of OUT_ENV. */
export function underOut(folder?: string): string {
  return `\${oc.env:${OUT_ENV}}${folder === undefined ? "" : `/${folder}`}`;
}

export interface ExportedConfig {
  /** The engine's config, in the order it is written. */
  config: Record<string, unknown>;
  /** What the export cannot carry over exactly, shown to the user. */
  notes: string[];
  conversions: Conversion[];
  /** Where the engine writes the job's checkpoints and logs, relative to OUT_ENV's folder. */
  jobDir: string;
  /** Comments written above config keys (dotted paths): what a value means where the key alone does not say it. */
  comments: Record<string, string>;
}

export function hubName(plan: Plan): string {
  if (plan.policy.kind !== "hf") throw new Error("the policy is not a hub model (roux check --target reports this)");
  return plan.policy.hub_name;
}

export function constantLr(lr: Schedule): number {
  if (lr.schedule !== "constant") throw new Error("the learning rate is scheduled (roux check --target reports this)");
  return lr.value;
}

/**
 * The names a verl export writes for Roux's estimators, chosen from verl's facts at the pin
 * (facts/verl.json): what `kl_loss_type`, `adv_estimator` and `loss_agg_mode` accept there.
 */
import type { AdvantageOp, Kl } from "../../plan/plan.js";
import { type EngineFacts, firstRegistered, pinnedFacts, registered } from "./facts/facts.js";

/** Roux's KL estimators by verl's `kl_loss_type` values, preferred first: k3 is verl's clamped `low_var_kl` (docs/algorithms.md §1.8). */
export const VERL_KL_NAMES: Readonly<Record<Kl["estimator"], readonly string[]>> = { k1: ["kl", "k1"], k3: ["low_var_kl", "k3"] };

/** Roux's advantages by verl's `adv_estimator` names. */
export const VERL_ADVANTAGE: Readonly<Record<"group_norm" | "rloo", string>> = { group_norm: "grpo", rloo: "rloo" };

const verl = (): EngineFacts => pinnedFacts().verl;

/** The `kl_loss_type` for a Roux estimator at the pin. */
export function verlKl(estimator: Kl["estimator"], facts = verl()): string | undefined {
  return firstRegistered(facts, "kl_loss_type", VERL_KL_NAMES[estimator]);
}

/** The `adv_estimator` of a stage's advantage, if verl registers it at the pin. */
export function verlAdvantage(op: AdvantageOp | undefined, facts = verl()): string | undefined {
  const name = op?.kind === "group_norm" || op?.kind === "rloo" ? VERL_ADVANTAGE[op.kind] : undefined;
  return name !== undefined && registered(facts, "adv_estimator", name) ? name : undefined;
}

/**
 * The epsilon verl's GRPO advantage divides by the std with: verl's trainer calls the estimator
 * without one (verl/trainer/ppo/ray_trainer.py, compute_advantage), so it is the function's
 * default, and no config key changes it.
 */
export function verlGrpoEpsilon(facts = verl()): number | undefined {
  const epsilon = registered(facts, "adv_estimator", VERL_ADVANTAGE.group_norm)?.args?.epsilon?.default;
  return typeof epsilon === "number" ? epsilon : undefined;
}

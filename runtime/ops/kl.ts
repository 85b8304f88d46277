// KL regularisation toward a reference policy, with the two per-token estimators of the
// sampled KL (Schulman 2020, "Approximating KL Divergence"): k1 is unbiased but noisy and can
// be negative; k3 is non-negative and low-variance (GRPO's choice).

import { requireLength } from "./batch.js";

export type KlEstimator = "k1" | "k3";

/** exp(10) ~ 2.2e4 bounds k3, so one token far from the reference cannot swamp the loss. */
export const KAPPA_LIMIT = 10;

/** k1 = logp - logp_ref. Schulman 2020, "Approximating KL Divergence", k1. docs/algorithms.md §1. */
export function k1(logp: number, logpRef: number): number {
  return logp - logpRef;
}

/**
 * k3 = exp(kappa) - kappa - 1 with kappa = logp_ref - logp clamped to [-10, 10] (verl's
 * `low_var_kl` clamps the result instead; we clamp kappa as docs/algorithms.md §1.8 states, which keeps
 * k3 smooth and finite). Schulman 2020, "Approximating KL Divergence", k3; GRPO's KL term,
 * Shao et al. 2024, "DeepSeekMath", eq. 4. docs/algorithms.md §1.
 */
export function k3(logp: number, logpRef: number): number {
  const kappa = Math.min(KAPPA_LIMIT, Math.max(-KAPPA_LIMIT, logpRef - logp));
  return Math.exp(kappa) - kappa - 1;
}

/** The chosen estimator at every token. docs/algorithms.md §1. */
export function klTokens(logp: Float32Array, logpRef: Float32Array, estimator: KlEstimator): Float32Array {
  requireLength(logpRef, logp.length, "logp_ref");
  const estimate = estimator === "k1" ? k1 : k3;
  const out = new Float32Array(logp.length);
  for (let t = 0; t < logp.length; t++) out[t] = estimate(logp[t] ?? 0, logpRef[t] ?? 0);
  return out;
}

// PPO's per-token loss as scalar float64 formulas, one term at a time: the reference that the
// tensor version (losses.ts `ppoTokenLoss`) is tested against, term by term. Test support: the
// training engine never calls it.

import { LOG_RATIO_LIMIT, type Clip } from "./losses.js";

/**
 * rho = exp(logp - logp_old), the log-ratio clamped to [-LOG_RATIO_LIMIT, LOG_RATIO_LIMIT].
 * Schulman et al. 2017, "Proximal Policy Optimization Algorithms", r_t(theta) of eq. 6.
 */
export function referenceRatio(logp: number, logpOld: number): number {
  return Math.exp(Math.min(LOG_RATIO_LIMIT, Math.max(-LOG_RATIO_LIMIT, logp - logpOld)));
}

/**
 * One token's loss: L = max(-A rho, -A clip(rho, 1 - low, 1 + high)), the negated clipped
 * surrogate of Schulman et al. 2017, eq. 7, with DAPO's decoupled bounds (Yu et al. 2025,
 * "DAPO", §3.1 Clip-Higher); then, where A < 0, min(L, -A dual), the dual clip of Ye et al.
 * 2020, "Mastering Complex Control in MOBA Games with Deep Reinforcement Learning", so a token
 * whose ratio exploded cannot dominate the batch. `clipped` says the clipped branch is strictly
 * above the unclipped one (what the clip fraction counts).
 */
export function referencePpoToken(logp: number, logpOld: number, advantage: number, clip: Clip): { loss: number; clipped: boolean } {
  const rho = referenceRatio(logp, logpOld);
  const unclipped = -advantage * rho;
  const clippedBranch = -advantage * Math.min(1 + clip.high, Math.max(1 - clip.low, rho));
  const surrogate = Math.max(unclipped, clippedBranch);
  const loss = clip.dual !== null && advantage < 0 ? Math.min(surrogate, -advantage * clip.dual) : surrogate;
  return { loss, clipped: clippedBranch > unclipped };
}

// PRIME's implicit process reward: a token is rewarded by how much more likely an online
// "implicit PRM" (a language model trained only on outcome labels) finds it than the
// reference does, which yields dense rewards without step labels.

import { requireLength, rowCount, type Rollouts } from "./batch.js";

/** ALGORITHMS.md §8. */
export const PRIME_BETA = 0.05;

/**
 * Per token r_t = beta q_t, q_t = log pi_phi(y_t) - log pi_ref(y_t), on masked tokens (0
 * elsewhere). Cui et al. 2025, "Process Reinforcement through Implicit Rewards" (PRIME), the
 * implicit process reward (after Yuan et al. 2024, "Free Process Rewards without Process
 * Labels"). ALGORITHMS.md §8.
 */
export function primeTokenRewards(
  logpPhi: Float32Array,
  logpRef: Float32Array,
  r: Rollouts,
  beta = PRIME_BETA,
): Float32Array {
  requireLength(logpPhi, r.mask.length, "logp of the implicit PRM");
  requireLength(logpRef, r.mask.length, "logp_ref");
  const out = new Float32Array(logpPhi.length);
  for (let t = 0; t < out.length; t++) if (r.mask[t]) out[t] = beta * (logpPhi[t] - logpRef[t]);
  return out;
}

/**
 * The implicit PRM's training loss: per row BCE(sigmoid(z_i), y_i) with z_i = beta sum_t q_t
 * over its masked tokens, and the mean over kept rows. Written as softplus(z) - y z, which
 * equals -y log sigmoid(z) - (1 - y) log(1 - sigmoid(z)) without overflowing for large |z|.
 * Cui et al. 2025 (PRIME), the cross-entropy loss of the online PRM update. ALGORITHMS.md §8.
 */
export function primeBceLoss(
  logpPhi: Float32Array,
  logpRef: Float32Array,
  outcome: Float32Array,
  r: Rollouts,
  beta = PRIME_BETA,
): { perRow: Float32Array; loss: number } {
  const n = rowCount(r);
  requireLength(outcome, n, "outcome");
  const q = primeTokenRewards(logpPhi, logpRef, r, beta);
  const perRow = new Float32Array(n);
  let sum = 0;
  let keptRows = 0;
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let t = r.tokenOffsets[i]; t < r.tokenOffsets[i + 1]; t++) z += q[t];
    perRow[i] = Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - outcome[i] * z;
    if (r.kept[i]) {
      sum += perRow[i];
      keptRows++;
    }
  }
  return { perRow, loss: keptRows > 0 ? sum / keptRows : 0 };
}

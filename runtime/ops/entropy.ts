// The entropy bonus keeps the policy from collapsing onto one answer too early.

import { type Rollouts } from "./batch.js";
import { aggregate, type Aggregation } from "./aggregate.js";

/**
 * Entropy term of the loss, -coef * agg(H_t), with H_t the policy's per-token entropy
 * (computed by the training engine). Schulman et al. 2017, "Proximal Policy Optimization
 * Algorithms", eq. 9 (the c2 S[pi] bonus). ALGORITHMS.md §1.
 */
export function entropyBonus(entropy: Float32Array, r: Rollouts, coef: number, agg: Aggregation): number {
  return -coef * aggregate(entropy, r, agg);
}

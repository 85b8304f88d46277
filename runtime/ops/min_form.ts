// PURE's min-form credit assignment: a response is worth its worst step, so a policy cannot
// raise its return by adding easy, well-scored steps (which sum-form rewards). The process
// rewards are taken as given (PURE reads a two-class PRM as 2p - 1 in [-1, 1]); this op never
// rescales them, and `roux check` warns (W0003) when they are never negative.

import { requireLength, rowCount, stepStart, type Rollouts } from "./batch.js";

/**
 * Softmin-weighted step rewards r_k = w_k pr_k with w_k = softmax_k(-pr_k / T) over the
 * response's steps, so sum_k r_k tends to min_k pr_k as T -> 0. Accumulate them to tokens
 * with gamma = 1 (the weights are global to the response: only the first step's return
 * approximates the min). Cheng et al. 2025, "Stop Summation: Min-Form Credit Assignment Is
 * All Process Reward Model Needs for Reasoning" (PURE), min-form credit assignment.
 * docs/algorithms.md §4.
 */
export function minFormRewards(processRewards: Float32Array, r: Rollouts, temperature: number): Float32Array {
  requireLength(processRewards, r.stepEnds.length, "process rewards");
  if (!(temperature > 0)) throw new Error(`min_form: temperature must be > 0, got ${temperature}`);
  const out = new Float32Array(processRewards.length);
  const n = rowCount(r);
  for (let i = 0; i < n; i++) {
    const s0 = r.stepOffsets[i] ?? 0;
    const s1 = r.stepOffsets[i + 1] ?? 0;
    // Shifting by the min keeps every exponent <= 0 and the min's term at exactly 1, so a
    // small T cannot overflow and the normaliser is >= 1.
    let min = Infinity;
    for (let s = s0; s < s1; s++) min = Math.min(min, processRewards[s] ?? 0);
    let normaliser = 0;
    for (let s = s0; s < s1; s++) normaliser += Math.exp((min - (processRewards[s] ?? 0)) / temperature);
    for (let s = s0; s < s1; s++) {
      const pr = processRewards[s] ?? 0;
      out[s] = (Math.exp((min - pr) / temperature) / normaliser) * pr;
    }
  }
  return out;
}

/**
 * Strict min-form token returns G_t = min over steps k at or after the step of token t of
 * pr_k (the T -> 0 limit, exact at every token, not only the first). PURE (Cheng et al.
 * 2025, "Stop Summation"), min-form value V(s_t) = min_{k >= t} r_k. docs/algorithms.md §4
 * `strict = true`.
 */
export function minFormStrictReturns(processRewards: Float32Array, r: Rollouts): Float32Array {
  requireLength(processRewards, r.stepEnds.length, "process rewards");
  const out = new Float32Array(r.mask.length);
  const n = rowCount(r);
  for (let i = 0; i < n; i++) {
    let running = Infinity;
    const first = r.stepOffsets[i] ?? 0;
    for (let s = (r.stepOffsets[i + 1] ?? 0) - 1; s >= first; s--) {
      running = Math.min(running, processRewards[s] ?? 0);
      out.fill(running, stepStart(r, s), (r.stepEnds[s] ?? 0) + 1);
    }
  }
  return out;
}

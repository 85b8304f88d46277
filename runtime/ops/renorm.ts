// ReNorm calibrates a [0, 1] process score against the binary outcome: a correct trajectory
// keeps its step rewards in [0, 1], a wrong one is moved to [-1, 0], so good-looking steps of a
// failed trajectory earn no positive credit.

import { requireBinary, requireLength, rowCount, type Rollouts } from "./batch.js";

/**
 * Per step r_k = rhat_k + r_o - 1, rhat_k the process score in [0, 1], r_o in {0, 1} the
 * row's outcome. Xu et al. 2025, "Hybrid Reward Normalization for Process-supervised
 * Non-verifiable Agentic Tasks" (PPR), Reward Normalization (ReNorm), as the paper states it
 * (the authors' code is not public). docs/algorithms.md §5.
 */
export function renorm(processScores: Float32Array, outcome: Float32Array, r: Rollouts): Float32Array {
  requireLength(processScores, r.stepEnds.length, "process scores");
  requireLength(outcome, rowCount(r), "outcome");
  requireBinary(outcome, "renorm");
  const out = new Float32Array(processScores.length);
  for (let i = 0; i < outcome.length; i++) {
    const o = outcome[i] ?? 0;
    const end = r.stepOffsets[i + 1] ?? 0;
    for (let s = r.stepOffsets[i] ?? 0; s < end; s++) out[s] = (processScores[s] ?? 0) + o - 1;
  }
  return out;
}

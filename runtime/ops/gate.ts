// The Posterior-GRPO gate: a process reward is only believed for responses whose outcome was
// verified, so a failed response cannot earn reward from steps that merely look good.

import { requireBinary, requireLength, rowCount, type Rollouts } from "./batch.js";

/**
 * Per row r_i = r_o,i + [r_o,i = 1] * mean_k v_ik; a row without steps adds nothing. Fan et
 * al. 2025, "Posterior-GRPO: Rewarding Reasoning Processes in Code Generation", the
 * posterior-gated reward. docs/algorithms.md §6.
 */
export function posteriorGate(outcome: Float32Array, processScores: Float32Array, r: Rollouts): Float32Array {
  const n = rowCount(r);
  requireLength(outcome, n, "outcome");
  requireLength(processScores, r.stepEnds.length, "process scores");
  requireBinary(outcome, "gate");
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s0 = r.stepOffsets[i] ?? 0;
    const s1 = r.stepOffsets[i + 1] ?? 0;
    let sum = 0;
    for (let s = s0; s < s1; s++) sum += processScores[s] ?? 0;
    const o = outcome[i] ?? 0;
    out[i] = o + (o === 1 && s1 > s0 ? sum / (s1 - s0) : 0);
  }
  return out;
}

// EMPG modulates advantages by the policy's own uncertainty: confident steps get a larger
// share of the update, uncertain ones a smaller share, and a step that leads into a confident
// next step gets a small bonus for reaching clarity.

import { requireLength, rowCount, stepStart, type Rollouts } from "./batch.js";
import { tokenMean } from "./stats.js";

export interface EmpgOptions {
  /** Sharpness of the self-calibrating gradient scale g. */
  readonly k: number;
  /** Sharpness of the future-clarity bonus f. */
  readonly kFuture: number;
  /** Weight of the future-clarity bonus. */
  readonly zeta: number;
}

const MIN_MAX_EPS = 1e-8;

/**
 * Entropy-modulated advantages. H_ik is the mean entropy of the tokens of step k;
 * Hn = (H - min) / (max - min + 1e-8) over the steps of the kept rows of the batch;
 * g = exp(-k Hn) / batch_mean(exp(-k Hn)); f = exp(-k_future Hn). Every token t of step k gets
 * g(H_ik) A_t + zeta f(H_i,k+1), the bonus only where step k + 1 exists in the same response;
 * then the batch mean (over masked tokens of kept rows) is subtracted. Dropped rows get 0.
 * Wang et al. 2025, "Harnessing Uncertainty: Entropy-Modulated Policy Gradients for
 * Long-Horizon LLM Agents" (EMPG), the modulated advantage and its final batch normalisation.
 * docs/algorithms.md §7.
 *
 * The paper modulates one advantage per step; here the advantage is per token (it varies
 * inside a step under step-level credit), so the step's factors apply to each of its tokens
 * and the final mean is a token mean, matching whiten's.
 */
export function empg(advantages: Float32Array, entropy: Float32Array, r: Rollouts, options: EmpgOptions): Float32Array {
  requireLength(advantages, r.mask.length, "advantages");
  requireLength(entropy, r.mask.length, "entropy");
  const { kept, stepOffsets, stepEnds, tokenOffsets } = r;
  const n = rowCount(r);
  // H_ik, the mean entropy of each step's tokens, and its range over the kept rows.
  const stepEntropy = new Float64Array(stepEnds.length);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!kept[i]) continue;
    const end = stepOffsets[i + 1] ?? 0;
    for (let s = stepOffsets[i] ?? 0; s < end; s++) {
      const from = stepStart(r, s);
      const to = stepEnds[s] ?? 0;
      let sum = 0;
      for (let t = from; t <= to; t++) sum += entropy[t] ?? 0;
      const h = sum / (to + 1 - from);
      stepEntropy[s] = h;
      min = Math.min(min, h);
      max = Math.max(max, h);
    }
  }
  // exp(-k Hn) (g before the division by its batch mean) and f = exp(-k_future Hn) per step.
  const scale = 1 / (max - min + MIN_MAX_EPS);
  const gRaw = new Float64Array(stepEnds.length);
  const future = new Float64Array(stepEnds.length);
  let gSum = 0;
  let keptSteps = 0;
  for (let i = 0; i < n; i++) {
    if (!kept[i]) continue;
    const end = stepOffsets[i + 1] ?? 0;
    for (let s = stepOffsets[i] ?? 0; s < end; s++) {
      const hn = ((stepEntropy[s] ?? 0) - min) * scale;
      const g = Math.exp(-options.k * hn);
      gRaw[s] = g;
      future[s] = Math.exp(-options.kFuture * hn);
      gSum += g;
      keptSteps++;
    }
  }
  const out = new Float32Array(advantages.length);
  if (keptSteps === 0) return out;
  const gMean = gSum / keptSteps;
  for (let i = 0; i < n; i++) {
    if (!kept[i]) continue;
    const lastStep = (stepOffsets[i + 1] ?? 0) - 1;
    for (let s = stepOffsets[i] ?? 0; s <= lastStep; s++) {
      const g = (gRaw[s] ?? 0) / gMean;
      const bonus = s < lastStep ? options.zeta * (future[s + 1] ?? 0) : 0;
      const to = stepEnds[s] ?? 0;
      for (let t = stepStart(r, s); t <= to; t++) out[t] = g * (advantages[t] ?? 0) + bonus;
    }
  }
  const { mean } = tokenMean(out, r);
  for (let i = 0; i < n; i++) {
    if (!kept[i]) continue;
    const end = tokenOffsets[i + 1] ?? 0;
    for (let t = tokenOffsets[i] ?? 0; t < end; t++) out[t] = (out[t] ?? 0) - mean;
  }
  return out;
}

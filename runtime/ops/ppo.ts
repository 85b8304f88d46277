// The clipped policy-gradient surrogate, per token. The training loop computes the gradient
// in tfjs; these are the reference values it is tested against, written as scalar formulas
// (ratio, clippedSurrogate, dualClip, ppoTokenLoss) that a tensor version mirrors term by term.

import { requireLength, rowCount, type Rollouts } from "./batch.js";
import { aggregate, type Aggregation } from "./aggregate.js";

export interface PpoClip {
  /** eps_lo: the ratio is clipped below at 1 - clipLow. */
  readonly clipLow: number;
  /** eps_hi: the ratio is clipped above at 1 + clipHigh (DAPO's clip-higher when > clipLow). */
  readonly clipHigh: number;
  /** Dual clip c (> 1), applied where A < 0; null turns it off. */
  readonly dualClip: number | null;
}

/** ALGORITHMS.md §1 defaults: eps 0.2 / 0.2, dual clip 3.0. */
export const PPO_DEFAULTS: PpoClip = { clipLow: 0.2, clipHigh: 0.2, dualClip: 3.0 };

/**
 * exp(20) ~ 4.9e8 is far past any clip already; the clamp keeps exp() and its gradient finite
 * when the two policies drift apart (verl clamps at the same place).
 */
export const LOG_RATIO_LIMIT = 20;

/**
 * Importance ratio rho = exp(logp - logp_old) with the log-ratio clamped to [-20, 20].
 * Schulman et al. 2017, "Proximal Policy Optimization Algorithms", r_t(theta) of eq. 6.
 * ALGORITHMS.md §1.
 */
export function ratio(logp: number, logpOld: number): number {
  return Math.exp(Math.min(LOG_RATIO_LIMIT, Math.max(-LOG_RATIO_LIMIT, logp - logpOld)));
}

/**
 * max(-A rho, -A clip(rho, 1 - eps_lo, 1 + eps_hi)): the negated clipped surrogate of
 * Schulman et al. 2017, "Proximal Policy Optimization Algorithms", eq. 7, with DAPO's
 * decoupled bounds (Yu et al. 2025, "DAPO", §3.1 Clip-Higher). ALGORITHMS.md §1.
 */
export function clippedSurrogate(advantage: number, rho: number, clipLow: number, clipHigh: number): number {
  const clipped = Math.min(1 + clipHigh, Math.max(1 - clipLow, rho));
  return Math.max(-advantage * rho, -advantage * clipped);
}

/**
 * Dual clip: where A < 0 the loss is also capped at -A c, so a token whose ratio exploded
 * cannot dominate the batch. Ye et al. 2020, "Mastering Complex Control in MOBA Games with
 * Deep Reinforcement Learning", dual-clip PPO. ALGORITHMS.md §1.
 */
export function dualClip(advantage: number, loss: number, c: number | null): number {
  return c !== null && advantage < 0 ? Math.min(loss, -advantage * c) : loss;
}

/** The PPO loss of one token: dualClip(A, clippedSurrogate(A, ratio(...)), c). ALGORITHMS.md §1. */
export function ppoTokenLoss(logp: number, logpOld: number, advantage: number, clip: PpoClip = PPO_DEFAULTS): number {
  return dualClip(advantage, clippedSurrogate(advantage, ratio(logp, logpOld), clip.clipLow, clip.clipHigh), clip.dualClip);
}

export interface PpoLoss {
  /** L_t for every token (masked tokens included; the aggregation ignores them). */
  readonly perToken: Float32Array;
  /** The aggregated loss. */
  readonly loss: number;
  /** Token mean of [the clipped branch is strictly above the unclipped one]. */
  readonly clipFraction: number;
  /** Token mean of [the dual clip lowered the loss]. */
  readonly dualClipFraction: number;
}

/**
 * Per-token PPO clip loss over the batch, its aggregate and the clip fractions (both token
 * means over the masked tokens of the kept rows, as verl reports them). Schulman et al. 2017,
 * eq. 7, with clip-higher and dual clip as above. ALGORITHMS.md §1.
 */
export function ppoLoss(
  logp: Float32Array,
  logpOld: Float32Array,
  advantages: Float32Array,
  r: Rollouts,
  clip: PpoClip,
  agg: Aggregation,
): PpoLoss {
  const tokens = r.mask.length;
  requireLength(logp, tokens, "logp");
  requireLength(logpOld, tokens, "logp_old");
  requireLength(advantages, tokens, "advantages");
  const perToken = new Float32Array(tokens);
  let counted = 0;
  let clippedCount = 0;
  let dualCount = 0;
  const n = rowCount(r);
  for (let i = 0; i < n; i++) {
    const counts = r.kept[i] === 1;
    for (let t = r.tokenOffsets[i]; t < r.tokenOffsets[i + 1]; t++) {
      const a = advantages[t];
      const rho = ratio(logp[t], logpOld[t]);
      const surrogate = clippedSurrogate(a, rho, clip.clipLow, clip.clipHigh);
      const loss = dualClip(a, surrogate, clip.dualClip);
      perToken[t] = loss;
      if (counts && r.mask[t]) {
        counted++;
        if (surrogate > -a * rho) clippedCount++;
        if (loss < surrogate) dualCount++;
      }
    }
  }
  return {
    perToken,
    loss: aggregate(perToken, r, agg),
    clipFraction: counted > 0 ? clippedCount / counted : 0,
    dualClipFraction: counted > 0 ? dualCount / counted : 0,
  };
}

/**
 * The training objectives as tensors over the positions of a batch ([N * L], see tf-policy.ts):
 * PPO's clipped surrogate with dual clip, the KL estimators (the same k1/k3 as
 * runtime/ops/kl.ts), and CHORD's phi-weighted SFT term. Per-position weights carry the
 * aggregation (ops/aggregate.ts `aggregationWeights`) and are 0 off the response tokens.
 * losses.test.ts checks each term against the float64 references beside it
 * (ppo.reference.ts, chord.reference.ts, ops/kl.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { KAPPA_LIMIT } from "../ops/kl.js";

/**
 * exp(20) ~ 4.9e8 is far past any clip already; the clamp keeps exp() and its gradient finite
 * when the two policies drift apart (verl clamps at the same place).
 */
export const LOG_RATIO_LIMIT = 20;

export interface Clip {
  readonly low: number;
  readonly high: number;
  readonly dual: number | null;
}

/** L_t = max(-A rho, -A clip(rho)), then min(L_t, -A c) where A < 0. docs/algorithms.md §1. */
export function ppoTokenLoss(logp: tf.Tensor, oldLogp: tf.Tensor, advantages: tf.Tensor, clip: Clip): { loss: tf.Tensor; clipped: tf.Tensor } {
  const rho = tf.exp(tf.clipByValue(tf.sub(logp, oldLogp), -LOG_RATIO_LIMIT, LOG_RATIO_LIMIT));
  const unclipped = tf.neg(tf.mul(advantages, rho));
  const clippedBranch = tf.neg(tf.mul(advantages, tf.clipByValue(rho, 1 - clip.low, 1 + clip.high)));
  let loss = tf.maximum(unclipped, clippedBranch);
  if (clip.dual !== null) {
    const negative = tf.cast(tf.less(advantages, 0), "float32");
    const capped = tf.minimum(loss, tf.mul(tf.neg(advantages), clip.dual));
    loss = tf.add(loss, tf.mul(negative, tf.sub(capped, loss)));
  }
  return { loss, clipped: tf.greater(clippedBranch, unclipped) };
}

/** k1 = logp - ref; k3 = exp(kappa) - kappa - 1, kappa = ref - logp clamped to ±10. docs/algorithms.md §1. */
export function klTokens(logp: tf.Tensor, refLogp: tf.Tensor, estimator: "k1" | "k3"): tf.Tensor {
  if (estimator === "k1") return tf.sub(logp, refLogp);
  const kappa = tf.clipByValue(tf.sub(refLogp, logp), -KAPPA_LIMIT, KAPPA_LIMIT);
  return tf.sub(tf.sub(tf.exp(kappa), kappa), 1);
}

/** -logp, or with CHORD-phi -logp * sg[p (1 - p)]. docs/algorithms.md §2. */
export function sftTokenLoss(logp: tf.Tensor, phi: boolean): tf.Tensor {
  if (!phi) return tf.neg(logp);
  const p = tf.exp(logp);
  return tf.neg(tf.mul(logp, stopGradient(tf.mul(p, tf.sub(1, p)))));
}

/** sum_t w_t x_t. */
export function weightedSum(values: tf.Tensor, weights: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(values, weights));
}

const identityWithoutGradient = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]);

/** The value, with no gradient flowing back through it (tfjs has no stop_gradient of its own). */
export function stopGradient(x: tf.Tensor): tf.Tensor {
  return identityWithoutGradient(x) as tf.Tensor;
}

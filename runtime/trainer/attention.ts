/**
 * Causal multi-head self-attention (architecture.ts) as one customGrad, from the block's
 * input h [N * L, D] to the heads concatenated [N * L, D], with its backward written out.
 *
 * Why not batched matMul: the wasm backend runs a batched product of small matrices
 * ([N * heads] of [L, dh] x [dh, L]) in a plain loop at ~0.5 GFLOP/s, against XNNPACK for
 * everything else; it was half of a training step. A depthwise convolution computes the same
 * sum with the batch as channels, through XNNPACK, ~4x faster: with x [M, K, B] as an image
 * of height M, width K and B channels, and y [K, B, N] as a 1 x K filter with channel
 * multiplier N, `valid` output [M, 1, B * N] is out[m, b, n] = sum_k x[m, k, b] y[k, b, n].
 * So attention keeps its tensors in the layouts such products read: scores are [L, B, L]
 * (query, head-row, key) and each product's operands are one transpose away.
 */
import * as tf from "@tensorflow/tfjs";
import { columnSums } from "./layers.js";

type CustomGradientFunc = Parameters<typeof tf.customGrad>[0];

/** out[m, b, n] = sum_k x[m, k, b] y[k, b, n] for x [M, K, B], y [K, B, N]. */
function pairProduct(x: tf.Tensor3D, y: tf.Tensor3D): tf.Tensor3D {
  const [m, k, b] = x.shape;
  const n = y.shape[2];
  if (tf.getBackend() === "wasm") {
    const out = tf.depthwiseConv2d(tf.reshape(x, [1, m, k, b]) as tf.Tensor4D, tf.reshape(y, [1, k, b, n]) as tf.Tensor4D, 1, "valid");
    return tf.reshape(out, [m, b, n]);
  }
  // Elsewhere (cpu, tfjs-node) the batched product is the fast one.
  const product = tf.matMul(tf.transpose(x, [2, 0, 1]) as tf.Tensor3D, tf.transpose(y, [1, 0, 2]) as tf.Tensor3D);
  return tf.transpose(product, [1, 0, 2]) as tf.Tensor3D;
}

export interface AttentionShape {
  readonly rows: number;
  readonly length: number;
  readonly heads: number;
}

/**
 * The attention sub-layer up to the output projection: qkv = h @ w_qkv + b_qkv, split into
 * q, k, v, then each row's positions attend to themselves and earlier ones; the heads come out
 * concatenated, [N * L, D]. q, k and v are three products with column blocks of w_qkv rather
 * than one product split afterwards: wasm's split (and slice) of a [N * L, 3D] activation
 * costs several milliseconds, a block of the small weight matrix almost nothing.
 * `dropout`, when given, is the inverted-dropout multiplier of each attention probability in
 * the [L, rows * heads, L] layout (0 or 1 / (1 - rate)), for training passes (tf-policy.ts).
 */
export function attention(h: tf.Tensor, wQkv: tf.Tensor, bQkv: tf.Tensor, shape: AttentionShape, dropout?: Float32Array): tf.Tensor2D {
  return attend(shape, dropout)(h, wQkv, bQkv) as tf.Tensor2D;
}

/** What the forward pass saves for the backward: x, the q/k/v column blocks of w_qkv, the scaled q, k, v and the softmax. */
type Saved = [x: tf.Tensor2D, wq: tf.Tensor2D, wk: tf.Tensor2D, wv: tf.Tensor2D, qs: tf.Tensor, k: tf.Tensor, v: tf.Tensor, probs: tf.Tensor];

function attend({ rows: n, length: l, heads: h }: AttentionShape, dropout: Float32Array | undefined): (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor {
  const f = (x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const width = w.shape[1] / 3;
    const dh = width / h;
    const b = n * h;
    const scale = 1 / Math.sqrt(dh);
    const block = (i: number): tf.Tensor2D => tf.slice(w, [0, i * width], [w.shape[0], width]);
    const blocks: [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] = [block(0), block(1), block(2)];
    // [N * L, D] as [N, L, heads, dh]: head j owns columns j*dh .. (j+1)*dh (architecture.ts).
    const project = (i: 0 | 1 | 2) => tf.reshape(tf.fused.matMul({ a: x, b: blocks[i], bias: tf.slice(bias, [i * width], [width]) }), [n, l, h, dh]);
    const q = project(0);
    const k = project(1);
    const v = project(2);
    const qs = tf.mul(q, scale);
    const scores = pairProduct(
      tf.reshape(tf.transpose(qs, [1, 3, 0, 2]), [l, dh, b]) as tf.Tensor3D,
      tf.reshape(tf.transpose(k, [3, 0, 2, 1]), [dh, b, l]) as tf.Tensor3D,
    );
    const probs = tf.softmax(tf.add(scores, causalMask(l)));
    const mask = dropout && tf.tensor3d(dropout, [l, b, l]);
    const kept = mask ? tf.mul(probs, mask) : probs;
    const out = pairProduct(tf.transpose(kept, [0, 2, 1]) as tf.Tensor3D, tf.reshape(tf.transpose(v, [1, 0, 2, 3]), [l, b, dh]) as tf.Tensor3D);
    const saved: Saved = [x, ...blocks, qs, k, v, probs];
    save(saved);
    return {
      value: fromQueryMajor(out, n, l, h, dh),
      gradFunc: (dy: tf.Tensor2D, [sx, wq, wk, wv, sq, sk, sv, sp]: Saved) => {
        const dOut = tf.reshape(dy, [n, l, h, dh]);
        const dropMask = dropout && tf.tensor3d(dropout, [l, b, l]);
        const keptProbs = dropMask ? tf.mul(sp, dropMask) : sp;
        // d kept[i, b, j] = sum_d dOut[b, i, d] v[b, j, d]
        const dKept = pairProduct(
          tf.reshape(tf.transpose(dOut, [1, 3, 0, 2]), [l, dh, b]) as tf.Tensor3D,
          tf.reshape(tf.transpose(sv, [3, 0, 2, 1]), [dh, b, l]) as tf.Tensor3D,
        );
        // d v[j, b, d] = sum_i kept[b, i, j] dOut[b, i, d]
        const dV = pairProduct(tf.transpose(keptProbs, [2, 0, 1]) as tf.Tensor3D, tf.reshape(tf.transpose(dOut, [1, 0, 2, 3]), [l, b, dh]) as tf.Tensor3D);
        const dProbs = dropMask ? tf.mul(dKept, dropMask) : dKept;
        // softmax backward: p (dp - sum_j dp p)
        const dScores = tf.mul(sp, tf.sub(dProbs, tf.sum(tf.mul(dProbs, sp), -1, true))) as tf.Tensor3D;
        // d qs[i, b, d] = sum_j dS[b, i, j] k[b, j, d];  d k[j, b, d] = sum_i dS[b, i, j] qs[b, i, d]
        const dQs = pairProduct(tf.transpose(dScores, [0, 2, 1]) as tf.Tensor3D, tf.reshape(tf.transpose(sk, [1, 0, 2, 3]), [l, b, dh]) as tf.Tensor3D);
        const dK = pairProduct(tf.transpose(dScores, [2, 0, 1]) as tf.Tensor3D, tf.reshape(tf.transpose(sq, [1, 0, 2, 3]), [l, b, dh]) as tf.Tensor3D);
        const dq: tf.Tensor2D = tf.mul(fromQueryMajor(dQs, n, l, h, dh), scale);
        const dk = fromQueryMajor(dK, n, l, h, dh);
        const dv = fromQueryMajor(dV, n, l, h, dh);
        const dBlocks = [dq, dk, dv];
        // Through the three products (explicit transposes: see layers.ts `linear`).
        const xt = tf.transpose(sx);
        const dx = tf.addN([tf.matMul(dq, tf.transpose(wq)), tf.matMul(dk, tf.transpose(wk)), tf.matMul(dv, tf.transpose(wv))]);
        const dw = tf.concat(
          dBlocks.map((d) => tf.matMul(xt, d)),
          1,
        );
        const db = tf.concat(dBlocks.map(columnSums));
        return [dx, dw, db];
      },
    };
  };
  return tf.customGrad(f as unknown as CustomGradientFunc) as unknown as (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor;
}

/** [L, N * heads, dh] (position-major) back to [N * L, heads * dh], the heads concatenated in order. */
function fromQueryMajor(t: tf.Tensor, n: number, l: number, h: number, dh: number): tf.Tensor2D {
  return tf.reshape(tf.transpose(tf.reshape(t, [l, n, h, dh]), [1, 0, 2, 3]), [n * l, h * dh]);
}

/** [L, 1, L]: 0 where query i may see key j (j <= i), a large negative number elsewhere. */
function causalMask(l: number): tf.Tensor3D {
  const values = new Float32Array(l * l);
  for (let i = 0; i < l; i++) for (let j = i + 1; j < l; j++) values[i * l + j] = -1e9;
  return tf.tensor3d(values, [l, 1, l]);
}

/**
 * The transformer's pieces as tfjs customGrads with their gradients written out: LayerNorm,
 * GELU, the biased linear map, log-softmax (architecture.ts gives the math). One tape node
 * per piece instead of the dozen its elementwise ops would record: on the wasm backend a step's
 * time goes to per-kernel overhead (~30 us each) and to passes over [rows, 4D] tensors (~1 ms
 * each at batch 32 x 40), so fewer kernels and fewer passes is what makes a step fast.
 *
 * Tensors a gradient needs are passed to `save` (tfjs disposes everything else a forward made
 * before the backward runs); save copies on wasm, so each block saves as little as it can.
 */
import * as tf from "@tensorflow/tfjs";
import { LAYER_NORM_EPS } from "../policy/architecture.js";

type CustomGradientFunc = Parameters<typeof tf.customGrad>[0];
/** tf.customGrad's typing allows one input; these blocks take several. */
function custom<F extends (...inputs: tf.Tensor[]) => tf.Tensor>(f: (...args: never[]) => { value: tf.Tensor; gradFunc: unknown }): F {
  return tf.customGrad(f as unknown as CustomGradientFunc) as unknown as F;
}

/**
 * x @ w + b for x [rows, in], w [in, out], b [out], as one fused wasm kernel. The gradients
 * transpose explicitly: matMul with transpose flags runs 12-18x slower on wasm (docs/architecture.md "Pitfalls of tfjs-wasm under Node").
 */
export const linear = custom<(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor2D>(
  (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, w]);
    return {
      value: tf.fused.matMul({ a: x, b: w, bias: b }),
      gradFunc: (dy: tf.Tensor2D, [sx, sw]: [tf.Tensor2D, tf.Tensor2D]) => [tf.matMul(dy, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dy), columnSums(dy)],
    };
  },
);

/**
 * sum over rows of [rows, cols], as ones [1, rows] @ x: wasm reduces an axis other than the
 * last by transposing first; the product runs in XNNPACK at a fraction of the cost.
 */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, x.shape[0]]), x), [x.shape[1]]);
}

/** a @ b for [m, k] x [k, n], gradients with explicit transposes (see `linear`). */
export const matMul = custom<(a: tf.Tensor, b: tf.Tensor) => tf.Tensor2D>((a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, [sa, sb]: [tf.Tensor2D, tf.Tensor2D]) => [tf.matMul(dy, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy)],
  };
});

/**
 * LayerNorm over the last axis, biased variance, then * g + b (architecture.ts). Gradient:
 * with xhat = (x - mean) rstd and dxhat = dy g,
 * dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)), dg = sum(dy xhat), db = sum(dy).
 */
export const layerNorm = custom<(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor2D>(
  (x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const centred = tf.sub(x, tf.mean(x, -1, true));
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), -1, true), LAYER_NORM_EPS));
    const xhat = tf.mul(centred, rstd);
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy: tf.Tensor2D, [sxhat, srstd, sg]: [tf.Tensor, tf.Tensor, tf.Tensor]) => {
        const dxhat = tf.mul(dy, sg);
        const inner = tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(sxhat, tf.mean(tf.mul(dxhat, sxhat), -1, true)));
        return [tf.mul(inner, srstd), columnSums(tf.mul(dy, sxhat)), columnSums(dy)];
      },
    };
  },
);

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/**
 * GELU's tanh form 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3), computed as the
 * identical x sigmoid(2u): wasm's sigmoid is ~5x faster than its tanh. For training, the
 * derivative s + x s (1 - s) 2u' = s (1 + (1 - s)(6u - 4 sqrt(2/pi) x)) (since
 * 2 x u' = 6u - 4 sqrt(2/pi) x) is formed in the forward pass, so the backward is one product
 * and only the slope is saved; a scoring pass (`withGradient` false) skips it.
 */
export function gelu(x: tf.Tensor, withGradient: boolean): tf.Tensor2D {
  return withGradient ? geluWithSlope(x) : (tf.mul(x, tf.sigmoid(tf.mul(geluInner(x), 2))) as tf.Tensor2D);
}

function geluInner(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.add(x, tf.mul(tf.mul(tf.square(x), x), GELU_A)), GELU_C);
}

const geluWithSlope = custom<(x: tf.Tensor) => tf.Tensor2D>((x: tf.Tensor2D, save: tf.GradSaveFunc) => {
  const u = geluInner(x);
  const s = tf.sigmoid(tf.mul(u, 2));
  save([tf.mul(s, tf.add(1, tf.mul(tf.sub(1, s), tf.sub(tf.mul(u, 6), tf.mul(x, 4 * GELU_C)))))]);
  return { value: tf.mul(x, s), gradFunc: (dy: tf.Tensor2D, [slope]: [tf.Tensor]) => tf.mul(dy, slope) };
});

/**
 * log softmax over the last axis, x - max - log sum exp(x - max) (the shift keeps exp finite),
 * with the gradient dy - softmax(x) sum(dy): the max needs no gradient, the shift cancels.
 */
export const logSoftmax = custom<(x: tf.Tensor) => tf.Tensor2D>((x: tf.Tensor2D, save: tf.GradSaveFunc) => {
  const shifted = tf.sub(x, tf.max(x, -1, true));
  const y = tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), -1, true)));
  save([y]);
  return { value: y, gradFunc: (dy: tf.Tensor2D, [sy]: [tf.Tensor]) => tf.sub(dy, tf.mul(tf.exp(sy), tf.sum(dy, -1, true))) };
});

/**
 * Matrix products whose gradients transpose explicitly. tfjs's own matMul gradient calls
 * matMul with transpose flags, which the wasm backend runs 12-18x slower than a product of
 * an explicitly transposed copy (DESIGN.md, measured pitfalls); for rank 3 the same holds for
 * the batched product. Forward and gradients are the plain products: dA = dY B^T, dB = A^T dY.
 */
import * as tf from "@tensorflow/tfjs";

const lastTwo = (x: tf.Tensor) => (x.rank === 2 ? tf.transpose(x) : tf.transpose(x, [0, 2, 1]));

const product = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, [sa, sb]: tf.Tensor[]) => [tf.matMul(dy as tf.Tensor2D, lastTwo(sb) as tf.Tensor2D), tf.matMul(lastTwo(sa) as tf.Tensor2D, dy as tf.Tensor2D)],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]);

/** a @ b for [m, k] x [k, n], or batched [s, m, k] x [s, k, n]. */
export function mm(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return product(a, b) as tf.Tensor;
}

/**
 * Gradients of the tfjs kernels the policy's forward pass and the losses differentiate
 * through, registered here because @tensorflow/tfjs-core's main entry registers none. The
 * package's own set (`dist/register_all_gradients.js`) is an ES-module tree with extensionless
 * imports: bundlers and vitest load it, plain Node (the compiled `roux` CLI) cannot
 * (ERR_MODULE_NOT_FOUND). So the engine brings the few it needs; the gradient check in
 * engine.test.ts covers every one of them. Kernels that need none here: MatMul and
 * BatchMatMul, Softmax and LogSoftmax (customGrads in matmul.ts and tf-policy.ts), OneHot,
 * comparisons and Cast of non-trainable inputs. Registering is global and idempotent; if
 * @tensorflow/tfjs (pulled in by tfjs-node) registers its own later, those are equivalent.
 *
 * Each gradFunc receives dy and the saved tensors (inputs named in inputsToSave, then
 * outputs marked in outputsToSave) and returns one thunk per input: tfjs calls only the
 * thunks of inputs that lead to a trainable variable.
 */
import * as tf from "@tensorflow/tfjs-core";

type Saved = tf.Tensor[];
type Attrs = Record<string, unknown>;

/** Sums dy over the axes a broadcast added or stretched, back to the input's shape. */
function unbroadcast(dy: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape as number[], dy.shape);
  return tf.reshape(axes.length > 0 ? tf.sum(dy, axes) : dy, shape as number[]);
}

/** dy of a reduction over `axis` spread back over the reduced input's shape. */
function spread(dy: tf.Tensor, x: tf.Tensor, axis: unknown): tf.Tensor {
  const axes = tf.util.parseAxisParam(axis as number | number[], x.shape);
  const kept = tf.backend_util.expandShapeToKeepDim(dy.shape, axes);
  return tf.mul(tf.reshape(dy, kept), tf.onesLike(x));
}

function binary(kernelName: string, grads: (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => [tf.Tensor, tf.Tensor]): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ["a", "b"],
    gradFunc: (dy, saved) => {
      const [a, b] = saved as Saved;
      const d = dy as tf.Tensor;
      return { a: () => unbroadcast(grads(d, a, b)[0], a.shape), b: () => unbroadcast(grads(d, a, b)[1], b.shape) };
    },
  };
}

function unary(kernelName: string, save: "input" | "output", grad: (dy: tf.Tensor, saved: tf.Tensor, attrs: Attrs) => tf.Tensor): tf.GradConfig {
  return {
    kernelName,
    ...(save === "input" ? { inputsToSave: ["x"] } : { outputsToSave: [true] }),
    gradFunc: (dy, saved, attrs) => ({ x: () => grad(dy as tf.Tensor, (saved as Saved)[0], attrs as Attrs) }),
  };
}

const configs: tf.GradConfig[] = [
  binary("Add", (dy) => [dy, dy]),
  binary("Sub", (dy) => [dy, tf.neg(dy)]),
  binary("Mul", (dy, a, b) => [tf.mul(dy, b), tf.mul(dy, a)]),
  binary("RealDiv", (dy, a, b) => [tf.div(dy, b), tf.neg(tf.div(tf.mul(dy, a), tf.square(b)))]),
  // Ties send the gradient to `a`, as tfjs's own Maximum and Minimum do.
  binary("Maximum", (dy, a, b) => [tf.mul(dy, tf.cast(tf.greaterEqual(a, b), "float32")), tf.mul(dy, tf.cast(tf.less(a, b), "float32"))]),
  binary("Minimum", (dy, a, b) => [tf.mul(dy, tf.cast(tf.lessEqual(a, b), "float32")), tf.mul(dy, tf.cast(tf.greater(a, b), "float32"))]),
  unary("Neg", "input", (dy) => tf.neg(dy)),
  unary("Exp", "output", (dy, y) => tf.mul(dy, y)),
  unary("Log", "input", (dy, x) => tf.div(dy, x)),
  unary("Square", "input", (dy, x) => tf.mul(dy, tf.mul(x, 2))),
  // d rsqrt(x) = -x^(-3/2) / 2 = -rsqrt(x)^3 / 2
  unary("Rsqrt", "input", (dy, x) => {
    const y = tf.rsqrt(x);
    return tf.mul(dy, tf.mul(tf.mul(y, tf.square(y)), -0.5));
  }),
  unary("Tanh", "output", (dy, y) => tf.mul(dy, tf.sub(1, tf.square(y)))),
  unary("Cast", "input", (dy) => tf.clone(dy)),
  unary("Reshape", "input", (dy, x) => tf.reshape(dy, x.shape)),
  unary("Sum", "input", (dy, x, attrs) => spread(dy, x, attrs.axis)),
  unary("Mean", "input", (dy, x, attrs) => {
    const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
    const count = axes.reduce((n, a) => n * x.shape[a], 1);
    return tf.div(spread(dy, x, axes), count);
  }),
  // The clamp passes the gradient inside [min, max] (bounds included) and stops it outside.
  unary("ClipByValue", "input", (dy, x, attrs) => {
    const inside = tf.logicalAnd(tf.greaterEqual(x, attrs.clipValueMin as number), tf.lessEqual(x, attrs.clipValueMax as number));
    return tf.mul(dy, tf.cast(inside, "float32"));
  }),
  unary("Slice", "input", (dy, x, attrs) => {
    const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[]);
    return tf.pad(dy, begin.map((b, i): [number, number] => [b, x.shape[i] - b - size[i]]));
  }),
  {
    kernelName: "Transpose",
    gradFunc: (dy, _saved, attrs) => {
      const perm = (attrs as Attrs).perm as number[];
      const inverse = new Array<number>(perm.length);
      perm.forEach((p, i) => (inverse[p] = i));
      return { x: () => tf.transpose(dy as tf.Tensor, inverse) };
    },
  },
  {
    // Outputs that do not reach the loss arrive as zeros (tfjs fills them in).
    kernelName: "SplitV",
    gradFunc: (dy, _saved, attrs) => ({ x: () => tf.concat(dy as tf.Tensor[], (attrs as Attrs).axis as number) }),
  },
];

for (const config of configs) tf.registerGradient(config);

/** The kernels whose gradients this module provides (for the tests). */
export const REGISTERED_GRADIENTS: readonly string[] = configs.map((c) => c.kernelName);

/**
 * The policy's forward pass in tfjs, from the weights of architecture.ts (the same names and
 * math as the ONNX graph the sampler runs), for a batch of sequences right-padded to one
 * length. Positions start at 0 at each row's first prompt token; causal attention keeps a real
 * token from seeing the padding after it, so padding needs no mask of its own.
 * Dropout: `arch.dropout > 0` is not applied yet (training runs the deterministic pass, the
 * same function the sampler's ONNX graph computes).
 *
 * Per position p of a row the pass gives log p(next token) and the entropy of the
 * distribution over the next token; a response token's values sit at the position before it.
 * The wasm backend's pitfalls (DESIGN.md) shape the code: the embedding is a one-hot product
 * (gather has no gradient there), products are 2-D or batched 3-D through matmul.ts.
 */
import * as tf from "@tensorflow/tfjs";
import { LAYER_NORM_EPS, type Architecture } from "../policy/architecture.js";
import type { Sequence } from "../policy/sequence.js";
import { mm } from "./matmul.js";

type CustomGradientFunc = Parameters<typeof tf.customGrad>[0];

export type Params = ReadonlyMap<string, tf.Tensor>;

/** A batch laid out for the pass: ids and next-token targets [N * L], and where responses sit. */
export interface Layout {
  readonly rows: number;
  readonly length: number;
  readonly ids: Int32Array;
  readonly targets: Int32Array;
  /** Flat position (row * L + p) whose next token is response token j, in the flat response layout. */
  readonly responsePositions: Int32Array;
}

export function layout(sequences: readonly Sequence[], arch: Architecture): Layout {
  const eos = arch.eos;
  sequences.forEach((s, i) => {
    // The first token is given, never predicted: a response needs a prompt token before it.
    if (s.prompt.length === 0) throw new Error(`row ${i}: a sequence needs at least one prompt token`);
    const n = s.prompt.length + s.response.length;
    if (n > arch.context) throw new Error(`row ${i}: ${n} tokens exceed the model's context of ${arch.context}`);
    for (const id of [...s.prompt, ...s.response]) if (!(Number.isInteger(id) && id >= 0 && id < arch.vocab)) throw new Error(`row ${i}: token id ${id} is outside the vocabulary (0..${arch.vocab - 1})`);
  });
  const length = Math.max(2, ...sequences.map((s) => s.prompt.length + s.response.length));
  const rows = sequences.length;
  const ids = new Int32Array(rows * length).fill(eos);
  const targets = new Int32Array(rows * length).fill(eos);
  const positions: number[] = [];
  sequences.forEach((s, i) => {
    const all = [...s.prompt, ...s.response];
    all.forEach((id, p) => (ids[i * length + p] = id));
    for (let p = 0; p + 1 < all.length; p++) targets[i * length + p] = all[p + 1];
    for (let j = 0; j < s.response.length; j++) positions.push(i * length + s.prompt.length + j - 1);
  });
  return { rows, length, ids, targets, responsePositions: Int32Array.from(positions) };
}

/**
 * Log-probability of each position's target and the entropy there, both [N * L] (padding
 * positions included; callers read the response positions). Call inside tf.tidy.
 */
export function nextTokenScores(arch: Architecture, params: Params, batch: Layout): { logp: tf.Tensor1D; entropy: tf.Tensor1D } {
  const logProbs = logSoftmax(logits(arch, params, batch));
  const targetOneHot = tf.oneHot(tf.tensor1d(batch.targets, "int32"), arch.vocab);
  const logp = tf.sum(tf.mul(logProbs, targetOneHot), -1) as tf.Tensor1D;
  const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logProbs), logProbs), -1)) as tf.Tensor1D;
  return { logp, entropy };
}

/** Logits at every position, [N * L, vocab]. Call inside tf.tidy. */
export function logits(arch: Architecture, params: Params, batch: Layout): tf.Tensor2D {
  const { rows: n, length: l } = batch;
  const d = arch.dModel;
  const p = (name: string) => {
    const t = params.get(name);
    if (t === undefined) throw new Error(`missing weight ${name}`);
    return t;
  };
  const tokEmb = p("tok_emb");
  const oneHot = tf.cast(tf.oneHot(tf.tensor1d(batch.ids, "int32"), arch.vocab), "float32");
  const positions = tf.slice(p("pos_emb"), [0, 0], [l, d]);
  let x = tf.reshape(tf.add(tf.reshape(mm(oneHot, tokEmb), [n, l, d]), positions), [n * l, d]);
  const causal = causalMask(l);
  for (let layer = 0; layer < arch.layers; layer++) {
    const w = (name: string) => p(`layer${layer}.${name}`);
    const h = layerNorm(x, w("ln1.g"), w("ln1.b"));
    const qkv = tf.add(mm(h, w("attn.w_qkv")), w("attn.b_qkv"));
    const [q, k, v] = tf.split(qkv, 3, 1).map((t) => heads(t, n, l, arch.heads));
    const scale = 1 / Math.sqrt(d / arch.heads);
    const scores = tf.add(tf.mul(mm(q, tf.transpose(k, [0, 2, 1])), scale), causal);
    const attended = mm(softmax(scores), v);
    const merged = tf.reshape(tf.transpose(tf.reshape(attended, [n, arch.heads, l, d / arch.heads]), [0, 2, 1, 3]), [n * l, d]);
    x = tf.add(x, tf.add(mm(merged, w("attn.w_out")), w("attn.b_out")));
    const h2 = layerNorm(x, w("ln2.g"), w("ln2.b"));
    const hidden = gelu(tf.add(mm(h2, w("mlp.w_in")), w("mlp.b_in")));
    x = tf.add(x, tf.add(mm(hidden, w("mlp.w_out")), w("mlp.b_out")));
  }
  const final = layerNorm(x, p("ln_f.g"), p("ln_f.b"));
  // Tied embeddings: logits = h @ tok_emb^T, transposed explicitly (see matmul.ts).
  return mm(final, tf.transpose(tokEmb)) as tf.Tensor2D;
}

/** [N * L, D] to [N * heads, L, dh]: head j takes columns j*dh .. (j+1)*dh (architecture.ts). */
function heads(t: tf.Tensor, n: number, l: number, h: number): tf.Tensor3D {
  const dh = t.shape[1]! / h;
  return tf.reshape(tf.transpose(tf.reshape(t, [n, l, h, dh]), [0, 2, 1, 3]), [n * h, l, dh]);
}

/** 0 where a position may attend (itself and earlier), a large negative number elsewhere. */
function causalMask(l: number): tf.Tensor2D {
  const values = new Float32Array(l * l);
  for (let i = 0; i < l; i++) for (let j = i + 1; j < l; j++) values[i * l + j] = -1e9;
  return tf.tensor2d(values, [l, l]);
}

/** Biased variance, as architecture.ts (and ONNX LayerNormalization) compute it. */
function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, LAYER_NORM_EPS))), g), b);
}

/** GELU's tanh form, as ONNX Gelu with approximate = "tanh". */
function gelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(tf.mul(x, x), x))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

/**
 * Softmax over the last axis with its gradient y (dy - sum(dy y)) written out as one node:
 * fewer kernels on the tape than the generic gradient, the same values.
 */
const softmax = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const y = tf.softmax(x);
  save([y]);
  return { value: y, gradFunc: (dy: tf.Tensor, [sy]: tf.Tensor[]) => tf.mul(sy, tf.sub(dy, tf.sum(tf.mul(dy, sy), -1, true))) };
}) as unknown as CustomGradientFunc) as unknown as (x: tf.Tensor) => tf.Tensor;

/**
 * log softmax = x - max - log sum exp(x - max) (the max shift keeps exp finite), with the
 * gradient dy - softmax(x) sum(dy): the max needs no gradient of its own, the shift cancels.
 */
const logSoftmax = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const shifted = tf.sub(x, tf.max(x, -1, true));
  const y = tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), -1, true)));
  save([y]);
  return { value: y, gradFunc: (dy: tf.Tensor, [sy]: tf.Tensor[]) => tf.sub(dy, tf.mul(tf.exp(sy), tf.sum(dy, -1, true))) };
}) as unknown as CustomGradientFunc) as unknown as (x: tf.Tensor) => tf.Tensor;

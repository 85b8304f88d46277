/**
 * The policy's forward pass in tfjs, from the weights of architecture.ts (the same names and
 * math as the ONNX graph the sampler runs), for a batch of sequences right-padded to one
 * length. Positions start at 0 at each row's first prompt token; causal attention keeps a real
 * token from seeing the padding after it, so padding needs no mask of its own.
 *
 * Per position p of a row the pass gives log p(next token) and the entropy of the
 * distribution over the next token at a temperature T, softmax(z / T) (docs/algorithms.md §1.5:
 * an RL stage trains on the distribution it sampled from); a response token's values sit at the
 * position before it.
 *
 * Dropout (`arch.dropout` = rate > 0) applies in training passes only, as GPT-2 places it: on
 * the embedding sum, on the attention probabilities, and on each residual branch (attention and
 * MLP outputs) before it is added; inverted, so kept values are scaled by 1 / (1 - rate) and
 * scoring needs no rescaling. The masks come from the caller's seeded generator (engine.ts
 * seeds it from the engine's seed and the optimizer's step), never from Math.random, so a run
 * is reproduced exactly, on any backend.
 *
 * The wasm backend's pitfalls (docs/architecture.md "Pitfalls of tfjs-wasm under Node") shape the code: the embedding is a one-hot product
 * (gather has no gradient there), products are 2-D with explicit transposes (layers.ts), and
 * attention avoids the slow batched product (attention.ts).
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../ops/rng.js";
import type { Architecture } from "../policy/architecture.js";
import type { Sequence } from "../policy/sequence.js";
import { attention } from "./attention.js";
import { gelu, layerNorm, linear, logSoftmax } from "./layers.js";

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
    for (const id of [...s.prompt, ...s.response])
      if (!(Number.isInteger(id) && id >= 0 && id < arch.vocab)) throw new Error(`row ${i}: token id ${id} is outside the vocabulary (0..${arch.vocab - 1})`);
  });
  const length = Math.max(2, ...sequences.map((s) => s.prompt.length + s.response.length));
  const rows = sequences.length;
  const ids = new Int32Array(rows * length).fill(eos);
  const targets = new Int32Array(rows * length).fill(eos);
  const positions: number[] = [];
  sequences.forEach((s, i) => {
    const all = [...s.prompt, ...s.response];
    all.forEach((id, p) => {
      ids[i * length + p] = id;
      // Position p - 1 predicts the token at p.
      if (p > 0) targets[i * length + p - 1] = id;
    });
    for (let j = 0; j < s.response.length; j++) positions.push(i * length + s.prompt.length + j - 1);
  });
  return { rows, length, ids, targets, responsePositions: Int32Array.from(positions) };
}

/** How a pass runs: `training` records what gradients need; `noise` draws dropout masks. */
export interface PassOptions {
  readonly training: boolean;
  /** Dropout's generator; dropout is off without one, or when arch.dropout is 0. */
  readonly noise?: Rng;
}

const SCORING: PassOptions = { training: false };

/**
 * Log-probability of each position's target and the entropy there, both [N * L] (padding
 * positions included; callers read the response positions), under softmax(logits / temperature)
 * over the whole vocabulary. Call inside tf.tidy.
 */
export function nextTokenScores(
  arch: Architecture,
  params: Params,
  batch: Layout,
  temperature: number,
  options: PassOptions = SCORING,
): { logp: tf.Tensor1D; entropy: tf.Tensor1D } {
  // T = 0 (greedy) is a point mass with no log-probs to train on: the caller picks a T > 0.
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new Error(`log-probs need a temperature > 0, got ${temperature}`);
  const z = logits(arch, params, batch, options);
  // Dividing by 1 would change no value: T = 1 saves the kernel and its tape node.
  const logProbs = logSoftmax(temperature === 1 ? z : tf.div(z, temperature));
  const logp = tf.sum(tf.mul(logProbs, oneHot(batch.targets, arch.vocab)), -1) as tf.Tensor1D;
  const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logProbs), logProbs), -1)) as tf.Tensor1D;
  return { logp, entropy };
}

/** Logits at every position, [N * L, vocab]. Call inside tf.tidy. */
export function logits(arch: Architecture, params: Params, batch: Layout, options: PassOptions = SCORING): tf.Tensor2D {
  return unembed(hiddenStates(arch, params, batch, options), params.get("tok_emb")!);
}

/**
 * The decoder's output after ln_f at every position, [N * L, D]: what the language-model head
 * reads (`logits`), and a process reward model's classifier head (runtime/prm/). Only `ids`,
 * `rows` and `length` of the layout are read. Call inside tf.tidy.
 */
export function hiddenStates(arch: Architecture, params: Params, batch: Pick<Layout, "rows" | "length" | "ids">, options: PassOptions = SCORING): tf.Tensor2D {
  const { rows: n, length: l } = batch;
  const p = (name: string) => {
    const t = params.get(name);
    if (t === undefined) throw new Error(`missing weight ${name}`);
    return t;
  };
  const rate = options.training && options.noise && arch.dropout > 0 ? arch.dropout : 0;
  const drop = (x: tf.Tensor): tf.Tensor => (rate > 0 ? tf.mul(x, tf.tensor(dropoutMultipliers(x.size, rate, options.noise!), x.shape)) : x);
  const tokEmb = p("tok_emb");
  let x = drop(embed(batch, arch)(tokEmb, p("pos_emb")));
  for (let layer = 0; layer < arch.layers; layer++) {
    const w = (name: string) => p(`layer${layer}.${name}`);
    const probsDropout = rate > 0 ? dropoutMultipliers(l * n * arch.heads * l, rate, options.noise!) : undefined;
    const h = layerNorm(x, w("ln1.g"), w("ln1.b"));
    const attended = attention(h, w("attn.w_qkv"), w("attn.b_qkv"), { rows: n, length: l, heads: arch.heads }, probsDropout);
    x = tf.add(x, drop(linear(attended, w("attn.w_out"), w("attn.b_out"))));
    const hidden = gelu(linear(layerNorm(x, w("ln2.g"), w("ln2.b")), w("mlp.w_in"), w("mlp.b_in")), options.training);
    x = tf.add(x, drop(linear(hidden, w("mlp.w_out"), w("mlp.b_out"))));
  }
  return layerNorm(x, p("ln_f.g"), p("ln_f.b"));
}

/**
 * x = tok_emb[id] + pos_emb[position] for every position, [N * L, D]: the lookup is a one-hot
 * product (wasm has no gather gradient); gradients d tok_emb = onehot^T dy (the one-hot built
 * transposed from the ids, not transposed on the backend), d pos_emb = dy summed over rows.
 */
function embed(batch: Pick<Layout, "rows" | "length" | "ids">, arch: Architecture): (tokEmb: tf.Tensor, posEmb: tf.Tensor) => tf.Tensor2D {
  const { rows: n, length: l, ids } = batch;
  const f = (tokEmb: tf.Tensor2D, posEmb: tf.Tensor2D) => {
    const d = tokEmb.shape[1];
    const tokens = tf.matMul(oneHot(ids, arch.vocab), tokEmb);
    const value = tf.reshape(tf.add(tf.reshape(tokens, [n, l, d]), tf.slice(posEmb, [0, 0], [l, d])), [n * l, d]);
    return {
      value,
      gradFunc: (dy: tf.Tensor2D) => {
        const transposed = new Float32Array(arch.vocab * ids.length);
        for (const [r, id] of ids.entries()) transposed[id * ids.length + r] = 1;
        const dTok = tf.matMul(tf.tensor2d(transposed, [arch.vocab, ids.length]), dy);
        const dPos = tf.pad(tf.sum(tf.reshape(dy, [n, l, d]), 0), [
          [0, arch.context - l],
          [0, 0],
        ]);
        return [dTok, dPos];
      },
    };
  };
  return tf.customGrad(f as unknown as CustomGradientFunc) as unknown as (tokEmb: tf.Tensor, posEmb: tf.Tensor) => tf.Tensor2D;
}

/** Tied embeddings: logits = h @ tok_emb^T; d h = dy tok_emb, d tok_emb = dy^T h (explicit transposes). */
const unembed = tf.customGrad(((h: tf.Tensor2D, tokEmb: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([h, tokEmb]);
  return {
    value: tf.matMul(h, tf.transpose(tokEmb)),
    gradFunc: (dy: tf.Tensor2D, [sh, st]: [tf.Tensor2D, tf.Tensor2D]) => [tf.matMul(dy, st), tf.matMul(tf.transpose(dy), sh)],
  };
}) as unknown as CustomGradientFunc) as unknown as (h: tf.Tensor, tokEmb: tf.Tensor) => tf.Tensor2D;

/**
 * [ids, vocab] one-hot rows, built here: wasm's OneHot kernel asked for float32 writes the
 * integer bit patterns (1 reads as 1.4e-45), and building it skips a Cast kernel too.
 */
function oneHot(ids: Int32Array, vocab: number): tf.Tensor2D {
  const values = new Float32Array(ids.length * vocab);
  for (const [r, id] of ids.entries()) values[r * vocab + id] = 1;
  return tf.tensor2d(values, [ids.length, vocab]);
}

/** Inverted dropout's multipliers: 0 with probability `rate`, else 1 / (1 - rate). */
export function dropoutMultipliers(size: number, rate: number, rng: Rng): Float32Array {
  const out = new Float32Array(size);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < size; i++) out[i] = rng() < rate ? 0 : keep;
  return out;
}

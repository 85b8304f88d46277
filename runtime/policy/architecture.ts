/**
 * The policy's architecture as data: the one description of the decoder-only transformer of
 * `transformer { ... }` (docs/language.md §5) that both engines build from. The training engine
 * (tfjs) and the sampling engine (an ONNX graph run by onnxruntime) must compute the same
 * function of the same weights, so the parameter names, shapes, layouts and the math below are
 * the contract between them:
 *
 * - Vocabulary: the tokenizer's ids, then one end-of-sequence id (`eos = tokenizer.vocabSize`),
 *   which also pads. A prompt has no begin token: the first prompt token sits at position 0.
 * - Embedding: x = tok_emb[id] + pos_emb[position].
 * - Each layer, pre-LayerNorm (GPT-2): x += attn(ln1(x)); x += mlp(ln2(x)).
 *   - LayerNorm over the last axis, biased variance, eps = LAYER_NORM_EPS, then * g + b.
 *   - attn: qkv = h @ w_qkv + b_qkv, split into q = [:, 0:D], k = [:, D:2D], v = [:, 2D:3D];
 *     head j uses columns j*dh .. (j+1)*dh of each (dh = D / heads); scores q k^T / sqrt(dh),
 *     causal (a position sees itself and earlier ones), softmax, times v; heads concatenated in
 *     order, then @ w_out + b_out.
 *   - mlp: gelu(h @ w_in + b_in) @ w_out + b_out, hidden width 4 D, gelu in its tanh form
 *     0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))) (ONNX Gelu with approximate = "tanh").
 * - Final LayerNorm ln_f, then logits = h @ tok_emb^T (tied embeddings).
 * Weight matrices are [in, out], row-major, so a layer is `h @ w`.
 */
import type { Model } from "../../plan/plan.js";
import { mulberry32, type Rng } from "../ops/rng.js";
import { createTokenizer } from "../tokenizer.js";

export const LAYER_NORM_EPS = 1e-5;
export const MLP_WIDTH_FACTOR = 4;

export interface Architecture {
  readonly layers: number;
  readonly dModel: number;
  readonly heads: number;
  /** Positions the model has embeddings for: prompt plus response never exceed it. */
  readonly context: number;
  /** Tokenizer ids plus the end-of-sequence id. */
  readonly vocab: number;
  /** End of sequence, also the padding id. */
  readonly eos: number;
  readonly dropout: number;
}

export interface ParameterSpec {
  /** Stable name: an ONNX graph input, a checkpoint key. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: "normal" | "zeros" | "ones";
  /** Standard deviation of a normal initialisation. */
  readonly std: number;
}

/** The local runtime's policy from the Plan's model; an `hf(...)` model is refused by the checker (E3401). */
export function architectureOf(model: Model): Architecture {
  if (model.kind !== "transformer") {
    throw new Error(`the local runtime cannot run hub model ${model.hub_name}; roux check reports this as E3401`);
  }
  const vocabSize = createTokenizer(model.tokenizer).vocabSize;
  return {
    layers: model.layers,
    dModel: model.d_model,
    heads: model.heads,
    context: model.context,
    vocab: vocabSize + 1,
    eos: vocabSize,
    dropout: model.dropout,
  };
}

/** Parameters in their canonical order (the order of ONNX inputs and of a checkpoint). */
export function parameterSpecs(a: Architecture): ParameterSpec[] {
  const d = a.dModel;
  const hidden = MLP_WIDTH_FACTOR * d;
  // GPT-2's initialisation: N(0, 0.02), with the projections that write into the residual
  // stream scaled by 1 / sqrt(2 layers) so the stream's variance does not grow with depth.
  const std = 0.02;
  const residualStd = std / Math.sqrt(2 * a.layers);
  const normal = (name: string, shape: number[], s = std): ParameterSpec => ({ name, shape, init: "normal", std: s });
  const fill = (name: string, shape: number[], init: "zeros" | "ones"): ParameterSpec => ({ name, shape, init, std: 0 });
  const specs: ParameterSpec[] = [normal("tok_emb", [a.vocab, d]), normal("pos_emb", [a.context, d])];
  for (let l = 0; l < a.layers; l++) {
    const p = `layer${l}.`;
    specs.push(
      fill(`${p}ln1.g`, [d], "ones"),
      fill(`${p}ln1.b`, [d], "zeros"),
      normal(`${p}attn.w_qkv`, [d, 3 * d]),
      fill(`${p}attn.b_qkv`, [3 * d], "zeros"),
      normal(`${p}attn.w_out`, [d, d], residualStd),
      fill(`${p}attn.b_out`, [d], "zeros"),
      fill(`${p}ln2.g`, [d], "ones"),
      fill(`${p}ln2.b`, [d], "zeros"),
      normal(`${p}mlp.w_in`, [d, hidden]),
      fill(`${p}mlp.b_in`, [hidden], "zeros"),
      normal(`${p}mlp.w_out`, [hidden, d], residualStd),
      fill(`${p}mlp.b_out`, [d], "zeros"),
    );
  }
  specs.push(fill("ln_f.g", [d], "ones"), fill("ln_f.b", [d], "zeros"));
  return specs;
}

export function parameterCount(a: Architecture): number {
  return parameterSpecs(a).reduce((n, p) => n + elementCount(p.shape), 0);
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, s) => n * s, 1);
}

/** Weights by parameter name, as plain arrays: what engines load and checkpoints store. */
export type Weights = Map<string, Float32Array>;

/** Fresh weights, the same for the same seed on every machine (no engine randomness). */
export function initialWeights(a: Architecture, seed: number): Weights {
  const rng = mulberry32(seed);
  const weights: Weights = new Map();
  for (const spec of parameterSpecs(a)) {
    const values = new Float32Array(elementCount(spec.shape));
    if (spec.init === "ones") values.fill(1);
    if (spec.init === "normal") for (let i = 0; i < values.length; i++) values[i] = spec.std * standardNormal(rng);
    weights.set(spec.name, values);
  }
  return weights;
}

/** Box-Muller; 1 - u keeps the logarithm's argument in (0, 1]. */
export function standardNormal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

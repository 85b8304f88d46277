/**
 * The policy as an ONNX graph (docs/architecture.md "The runtime's engines"): architecture.ts's decoder-only
 * transformer written node by node with onnx-proto, so the sampling engine (onnxruntime) computes
 * the same function of the same weights as the training engine.
 *
 * The weights are graph inputs named as `parameterSpecs` names them, not initializers: a training
 * step's new weights are fed to the next call, and the session is never rebuilt.
 *
 * Inputs (N rows, S new positions, P cached positions, T = P + S):
 *   input_ids        int64   [N, S]
 *   position_ids     int64   [N, S]      each row's first real prompt token is position 0
 *   attention_mask   int64   [N, T]      1 at a real key position, 0 at padding (Hugging Face)
 *   past_key.{l}     float32 [N, heads, P, dh]   (P = 0 on the first call)
 *   past_value.{l}   float32 [N, heads, P, dh]
 *   every parameter of `parameterSpecs(arch)`, float32, in its [in, out] layout
 * Outputs:
 *   logits           float32 [N, S, vocab]
 *   present_key.{l}  float32 [N, heads, T, dh]   past_key.{l} with the S new keys appended
 *   present_value.{l}
 */
import { LAYER_NORM_EPS, parameterSpecs, type Architecture } from "../policy/architecture.js";
import { encodeModel, FLOAT, float, GraphBuilder, INT64, int, ints, text, valueInfo } from "./graph-builder.js";

export const INPUT_IDS = "input_ids";
export const POSITION_IDS = "position_ids";
export const ATTENTION_MASK = "attention_mask";
export const LOGITS = "logits";
export const pastKey = (layer: number) => `past_key.${layer}`;
export const pastValue = (layer: number) => `past_value.${layer}`;
export const presentKey = (layer: number) => `present_key.${layer}`;
export const presentValue = (layer: number) => `present_value.${layer}`;

/**
 * Added to the score of a key a query must not see. Finite rather than -Infinity: a padding
 * query sees no real key at all, and a row of -Infinity would softmax to NaN (its output is
 * never read, but a NaN would still flow through the residual stream of that padding slot).
 * exp(-1e9 + score - max) underflows to exactly 0, so masked keys contribute nothing.
 */
const MASKED = -1e9;

/** The encoded ModelProto of the policy, with its KV cache and its weights as inputs. */
export function policyGraph(arch: Architecture): Uint8Array {
  const { heads, layers, vocab } = arch;
  const dh = headWidth(arch);
  const g = new GraphBuilder();
  const hidden = decoderBody(g, arch, { cache: true, positions: POSITION_IDS });
  // Tied embeddings: logits = ln_f(x) @ tok_emb^T.
  g.op("MatMul", [hidden, g.op("Transpose", ["tok_emb"], [ints("perm", [1, 0])])], [], LOGITS);

  const cache = (name: string, length: string) => valueInfo(name, FLOAT, ["batch", heads, length, dh]);
  const inputs = [
    valueInfo(INPUT_IDS, INT64, ["batch", "new"]),
    valueInfo(POSITION_IDS, INT64, ["batch", "new"]),
    valueInfo(ATTENTION_MASK, INT64, ["batch", "total"]),
    ...Array.from({ length: layers }, (_, l) => [cache(pastKey(l), "past"), cache(pastValue(l), "past")]).flat(),
    ...parameterSpecs(arch).map((spec) => valueInfo(spec.name, FLOAT, [...spec.shape])),
  ];
  const outputs = [
    valueInfo(LOGITS, FLOAT, ["batch", "new", vocab]),
    ...Array.from({ length: layers }, (_, l) => [cache(presentKey(l), "total"), cache(presentValue(l), "total")]).flat(),
  ];
  return encodeModel("policy", g, inputs, outputs);
}

function headWidth(arch: Architecture): number {
  const dh = arch.dModel / arch.heads;
  if (!Number.isInteger(dh)) throw new Error(`policy graph: d_model ${arch.dModel} is not a multiple of heads ${arch.heads}`);
  return dh;
}

export interface BodyOptions {
  /** Read past_key/value.{l} and write present_key/value.{l} (the sampler's KV cache). */
  readonly cache: boolean;
  /** The input of position ids [N, S], or "implicit": 0 .. S-1 in every row (right padding). */
  readonly positions: string | "implicit";
}

/**
 * architecture.ts's decoder up to and including ln_f, reading INPUT_IDS and ATTENTION_MASK and
 * the weights by their parameter names (inputs or initializers: the caller declares them).
 * Returns the name of the hidden states [N, S, D].
 */
export function decoderBody(g: GraphBuilder, arch: Architecture, options: BodyOptions): string {
  const { dModel: d, heads, layers } = arch;
  const dh = headWidth(arch);
  // Constants shared by every layer.
  g.ints("axes_1_2", [1, 2]);
  g.ints("axes_0", [0]);
  g.ints("axes_1", [1]);
  g.ints("index_1", [1]);
  g.ints("split_heads", [0, 0, heads, dh]);
  g.ints("merge_heads", [0, 0, d]);
  g.scalarInt("zero", 0);
  g.scalarInt("one", 1);
  g.scalarFloat("f_one", 1);
  g.scalarFloat("masked", MASKED);
  g.scalarFloat("f_zero", 0);
  g.scalarFloat("inv_sqrt_dh", 1 / Math.sqrt(dh));

  // Embedding (architecture.ts): x = tok_emb[id] + pos_emb[position].
  const positionIds = options.positions === "implicit" ? implicitPositions(g) : options.positions;
  const x0 = g.op("Add", [g.op("Gather", ["tok_emb", INPUT_IDS], [int("axis", 0)]), g.op("Gather", ["pos_emb", positionIds], [int("axis", 0)])]);

  // One additive bias [N, 1, S, T] for every layer and head: the causal part says new query i
  // (absolute index P + i in the cache) sees keys 0 .. P + i; the padding part hides the keys
  // whose attention_mask is 0.
  const s = g.op("Gather", [g.op("Shape", [INPUT_IDS]), "index_1"], [int("axis", 0)]);
  const t = g.op("Gather", [g.op("Shape", [ATTENTION_MASK]), "index_1"], [int("axis", 0)]);
  const sScalar = g.op("Squeeze", [s, "axes_0"]);
  const tScalar = g.op("Squeeze", [t, "axes_0"]);
  const pScalar = g.op("Sub", [tScalar, sScalar]);
  const keys = g.op("Unsqueeze", [g.op("Range", ["zero", tScalar, "one"]), "axes_0"]); // [1, T]
  const queries = g.op("Unsqueeze", [g.op("Range", [pScalar, tScalar, "one"]), "axes_1"]); // [S, 1]
  const causal = g.op("Where", [g.op("Greater", [keys, queries]), "masked", "f_zero"]); // [S, T]
  const mask = g.op("Cast", [ATTENTION_MASK], [int("to", FLOAT)]);
  const padding = g.op("Unsqueeze", [g.op("Mul", [g.op("Sub", ["f_one", mask]), "masked"]), "axes_1_2"]); // [N, 1, 1, T]
  const bias = g.op("Add", [causal, padding]);

  const layerNorm = (input: string, prefix: string) =>
    g.op("LayerNormalization", [input, `${prefix}.g`, `${prefix}.b`], [int("axis", -1), float("epsilon", LAYER_NORM_EPS)]);
  const affine = (input: string, w: string, b: string) => g.op("Add", [g.op("MatMul", [input, w]), b]);
  // [N, S, D] -> [N, heads, S, dh]: head j is columns j*dh .. (j+1)*dh (architecture.ts).
  const toHeads = (v: string) => g.op("Transpose", [g.op("Reshape", [v, "split_heads"])], [ints("perm", [0, 2, 1, 3])]);

  let x = x0;
  for (let l = 0; l < layers; l++) {
    const p = `layer${l}.`;
    // attn(ln1(x)): q, k, v are the thirds of h @ w_qkv + b_qkv.
    const qkv = affine(layerNorm(x, `${p}ln1`), `${p}attn.w_qkv`, `${p}attn.b_qkv`);
    const [q, k, v] = g.multi("Split", [qkv], 3, [int("axis", -1), int("num_outputs", 3)]);
    const keysAll = options.cache ? g.op("Concat", [pastKey(l), toHeads(k)], [int("axis", 2)], presentKey(l)) : toHeads(k);
    const valuesAll = options.cache ? g.op("Concat", [pastValue(l), toHeads(v)], [int("axis", 2)], presentValue(l)) : toHeads(v);
    // q k^T / sqrt(dh), the scale applied to q ([.., S, dh]) rather than to the scores ([.., S, T]).
    const scaledQ = g.op("Mul", [toHeads(q), "inv_sqrt_dh"]);
    const scores = g.op("MatMul", [scaledQ, g.op("Transpose", [keysAll], [ints("perm", [0, 1, 3, 2])])]);
    const probs = g.op("Softmax", [g.op("Add", [scores, bias])], [int("axis", -1)]);
    const merged = g.op("Reshape", [g.op("Transpose", [g.op("MatMul", [probs, valuesAll])], [ints("perm", [0, 2, 1, 3])]), "merge_heads"]);
    x = g.op("Add", [x, affine(merged, `${p}attn.w_out`, `${p}attn.b_out`)]);
    // mlp(ln2(x)) with the tanh form of gelu.
    const hidden = g.op("Gelu", [affine(layerNorm(x, `${p}ln2`), `${p}mlp.w_in`, `${p}mlp.b_in`)], [text("approximate", "tanh")]);
    x = g.op("Add", [x, affine(hidden, `${p}mlp.w_out`, `${p}mlp.b_out`)]);
  }
  return layerNorm(x, "ln_f");
}

/** [1, S]: position p at column p, broadcast over the rows. */
function implicitPositions(g: GraphBuilder): string {
  const length = g.op("Gather", [g.op("Shape", [INPUT_IDS]), "index_1"], [int("axis", 0)]);
  return g.op("Unsqueeze", [g.op("Range", ["zero", g.op("Squeeze", [length, "axes_0"]), "one"]), "axes_0"]);
}

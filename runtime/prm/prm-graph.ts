/**
 * The PRM (prm-model.ts) as an ONNX file for `onnx(...)`: the decoder of policy-graph.ts
 * without its KV cache, its weights stored as initializers, and the two-class head.
 *
 *   input_ids       int64   [N, T]   the response's tokens, right-padded
 *   attention_mask  int64   [N, T]   1 at a token, 0 at padding
 *   probs           float32 [N, T, 2]   softmax over (wrong, right) at every position
 *
 * Positions run 0 .. T-1 in every row, which right padding makes each row's own positions; a
 * reward is read at each step's last token (runtime/rewards/onnx-scorer.ts).
 */
import type { Architecture, Weights } from "../policy/architecture.js";
import { encodeModel, FLOAT, floatTensor, GraphBuilder, INT64, int, valueInfo } from "../sampler/graph-builder.js";
import { ATTENTION_MASK, decoderBody, INPUT_IDS } from "../sampler/policy-graph.js";
import { PRM_CLASSES, prmParameterSpecs } from "./prm-model.js";

export const PRM_OUTPUT = "probs";

export function prmGraph(arch: Architecture, weights: Weights): Uint8Array {
  const g = new GraphBuilder();
  for (const spec of prmParameterSpecs(arch)) {
    const values = weights.get(spec.name);
    if (values === undefined) throw new Error(`PRM graph: no weights for \`${spec.name}\``);
    g.initializers.push(floatTensor(spec.name, spec.shape, values));
  }
  const hidden = decoderBody(g, arch, { cache: false, positions: "implicit" });
  const classes = g.op("Add", [g.op("MatMul", [hidden, "head.w"]), "head.b"]);
  g.op("Softmax", [classes], [int("axis", -1)], PRM_OUTPUT);
  const inputs = [valueInfo(INPUT_IDS, INT64, ["batch", "tokens"]), valueInfo(ATTENTION_MASK, INT64, ["batch", "tokens"])];
  return encodeModel("prm", g, inputs, [valueInfo(PRM_OUTPUT, FLOAT, ["batch", "tokens", PRM_CLASSES])]);
}

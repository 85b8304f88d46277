/** Test support: samples and reward sources as a caller builds them, and small ONNX models. */
import onnxProto, { type onnx as schema } from "onnx-proto";
import type { RewardSource as PlanRewardSource, RewardSourceKind } from "../../plan/plan.js";
import { splitSteps } from "../ops/batch.js";
import type { ScoringSample } from "./source.js";

/**
 * A sample whose tokens are the character codes of the response (a newline is token 10) and whose
 * steps are split as the runtime splits them, unless `tokens` or `stepEnds` say otherwise.
 */
export function sample(response: string, fields: Partial<ScoringSample> = {}): ScoringSample {
  const tokens = fields.tokens === undefined ? Array.from(response, (c) => c.charCodeAt(0)) : fields.tokens;
  return {
    prompt: fields.prompt ?? "1+1=",
    answer: fields.answer === undefined ? null : fields.answer,
    response,
    tokens,
    stepEnds: fields.stepEnds ?? (tokens === null ? [] : Array.from(splitSteps(tokens, 10))),
  };
}

export function rewardSource(source: RewardSourceKind, fields: Partial<PlanRewardSource> = {}): PlanRewardSource {
  return {
    name: fields.name ?? "r",
    granularity: fields.granularity ?? "outcome",
    range: fields.range ?? { lo: 0, hi: 1 },
    binary: fields.binary ?? false,
    source,
  };
}

const { onnx } = onnxProto;
export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const INT64 = onnx.TensorProto.DataType.INT64;
export const INT32 = onnx.TensorProto.DataType.INT32;

/** A tensor's declared type; string dimensions are symbolic. */
export function valueInfo(name: string, elemType: number, dims: (number | string)[]): schema.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } } };
}

/** A model as onnxruntime-node 1.30 takes it (IR 10, opset 20), encoded. */
export function encodeModel(graph: schema.IGraphProto): Uint8Array {
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({ irVersion: 10, producerName: "roux-test", opsetImport: [{ domain: "", version: 20 }], graph: { name: "reward", ...graph } }),
  ).finish();
}

/**
 * A token classifier whose logits at a token are row `id` of `table` (`cumulative`: the sum of
 * the rows of the tokens so far, a causal model), softmaxed over classes unless `logits`:
 * input_ids [batch, tokens] int64 -> probs [batch, tokens, classes].
 */
export function tableModel(table: number[][], options: { cumulative?: boolean; logits?: boolean; ids?: number } = {}): Uint8Array {
  const classes = table[0]?.length;
  if (classes === undefined) throw new Error("tableModel: the table needs a row per token id");
  const nodes: schema.INodeProto[] = [{ opType: "Gather", input: ["table", "input_ids"], output: ["rows"] }];
  let logits = "rows";
  if (options.cumulative) {
    nodes.push({ opType: "CumSum", input: ["rows", "axis"], output: ["summed"] });
    logits = "summed";
  }
  if (options.logits) nodes.push({ opType: "Identity", input: [logits], output: ["probs"] });
  else nodes.push({ opType: "Softmax", input: [logits], output: ["probs"], attribute: [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: -1 }] });
  return encodeModel({
    node: nodes,
    initializer: [
      { name: "table", dims: [table.length, classes], dataType: FLOAT, floatData: table.flat() },
      ...(options.cumulative ? [{ name: "axis", dims: [], dataType: INT64, int64Data: [1] }] : []),
    ],
    input: [valueInfo("input_ids", options.ids ?? INT64, ["batch", "tokens"])],
    output: [valueInfo("probs", FLOAT, ["batch", "tokens", classes])],
  });
}

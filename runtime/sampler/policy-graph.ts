/**
 * The policy as an ONNX graph, written from architecture.ts's description so that
 * onnxruntime computes the same function as the training engine (runtime/trainer) from the
 * same weights. The weights are graph inputs, named as `parameterSpecs` names them: the
 * sampler feeds the current weights on every call, so an update never rebuilds the session.
 *
 * Inputs: the parameters; `input_ids`, `position_ids` int64 [N, S]; `attention_bias` float
 * [N, 1, S, P + S], added to the attention scores (0 where a query may see a key, -1e9
 * elsewhere: the caller writes causality and padding into it); per layer `past_key.{l}`,
 * `past_value.{l}` [N, heads, P, dh] (P = 0 on the first call).
 * Outputs: `logits` [N, S, vocab]; `present_key.{l}`, `present_value.{l}` [N, heads, P + S, dh],
 * the cache for the next call.
 */
import onnxProto, { type onnx as schema } from "onnx-proto";
import { LAYER_NORM_EPS, parameterSpecs, type Architecture } from "../policy/architecture.js";

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const { INT, FLOAT: FLOAT_ATTR, INTS, STRING } = onnx.AttributeProto.AttributeType;

/** onnxruntime-node 1.30 runs IR 10 / opset 20 (LayerNormalization, Gelu with approximate). */
const IR_VERSION = 10;
const OPSET = 20;

export function policyGraph(arch: Architecture): Uint8Array {
  const g = new GraphBuilder();
  const d = arch.dModel;
  const dh = d / arch.heads;
  g.constant("heads_shape", [0, 0, arch.heads, dh]);
  g.constant("model_shape", [0, 0, d]);
  g.scalar("scale", 1 / Math.sqrt(dh));

  let x = g.op("Add", [g.op("Gather", ["tok_emb", "input_ids"]), g.op("Gather", ["pos_emb", "position_ids"])]);
  for (let l = 0; l < arch.layers; l++) {
    const p = `layer${l}.`;
    const h = g.layerNorm(x, `${p}ln1`);
    const qkv = g.op("Add", [g.op("MatMul", [h, `${p}attn.w_qkv`]), `${p}attn.b_qkv`]);
    const [q, k, v] = g.ops("Split", [qkv], 3, [{ name: "axis", type: INT, i: 2 }, { name: "num_outputs", type: INT, i: 3 }]);
    // [N, S, D] -> [N, heads, S, dh]: head j is columns j*dh .. (j+1)*dh (architecture.ts).
    const split = (t: string) => g.op("Transpose", [g.op("Reshape", [t, "heads_shape"])], [perm([0, 2, 1, 3])]);
    const keys = g.op("Concat", [`past_key.${l}`, split(k)], [{ name: "axis", type: INT, i: 2 }], `present_key.${l}`);
    const values = g.op("Concat", [`past_value.${l}`, split(v)], [{ name: "axis", type: INT, i: 2 }], `present_value.${l}`);
    const scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [split(q), g.op("Transpose", [keys], [perm([0, 1, 3, 2])])]), "scale"]), "attention_bias"]);
    const attended = g.op("MatMul", [g.op("Softmax", [scores], [{ name: "axis", type: INT, i: -1 }]), values]);
    const merged = g.op("Reshape", [g.op("Transpose", [attended], [perm([0, 2, 1, 3])]), "model_shape"]);
    x = g.op("Add", [x, g.op("Add", [g.op("MatMul", [merged, `${p}attn.w_out`]), `${p}attn.b_out`])]);
    const h2 = g.layerNorm(x, `${p}ln2`);
    const hidden = g.op("Gelu", [g.op("Add", [g.op("MatMul", [h2, `${p}mlp.w_in`]), `${p}mlp.b_in`])], [{ name: "approximate", type: STRING, s: new TextEncoder().encode("tanh") }]);
    x = g.op("Add", [x, g.op("Add", [g.op("MatMul", [hidden, `${p}mlp.w_out`]), `${p}mlp.b_out`])]);
  }
  // Tied embeddings: logits = ln_f(x) @ tok_emb^T.
  g.op("MatMul", [g.layerNorm(x, "ln_f"), g.op("Transpose", ["tok_emb"], [perm([1, 0])])], [], "logits");

  const inputs: schema.IValueInfoProto[] = [
    ...parameterSpecs(arch).map((spec) => valueInfo(spec.name, FLOAT, [...spec.shape])),
    valueInfo("input_ids", INT64, ["N", "S"]),
    valueInfo("position_ids", INT64, ["N", "S"]),
    valueInfo("attention_bias", FLOAT, ["N", 1, "S", "T"]),
  ];
  const outputs: schema.IValueInfoProto[] = [valueInfo("logits", FLOAT, ["N", "S", arch.vocab])];
  for (let l = 0; l < arch.layers; l++) {
    for (const kind of ["key", "value"]) {
      inputs.push(valueInfo(`past_${kind}.${l}`, FLOAT, ["N", arch.heads, "P", dh]));
      outputs.push(valueInfo(`present_${kind}.${l}`, FLOAT, ["N", arch.heads, "T", dh]));
    }
  }
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: "roux",
    opsetImport: [{ domain: "", version: OPSET }],
    graph: { name: "policy", node: g.nodes, initializer: g.initializers, input: inputs, output: outputs },
  });
  return onnx.ModelProto.encode(model).finish();

  function perm(values: number[]): schema.IAttributeProto {
    return { name: "perm", type: INTS, ints: values };
  }
}

class GraphBuilder {
  readonly nodes: schema.INodeProto[] = [];
  readonly initializers: schema.ITensorProto[] = [];
  private count = 0;

  op(opType: string, input: string[], attribute: schema.IAttributeProto[] = [], output?: string): string {
    return this.ops(opType, input, 1, attribute, output ? [output] : undefined)[0];
  }

  ops(opType: string, input: string[], outputs: number, attribute: schema.IAttributeProto[] = [], names?: string[]): string[] {
    const output = names ?? Array.from({ length: outputs }, () => `t${this.count++}`);
    this.nodes.push({ opType, input, output, attribute });
    return output;
  }

  /** LayerNormalization over the last axis with the biased variance, as architecture.ts. */
  layerNorm(x: string, prefix: string): string {
    return this.op("LayerNormalization", [x, `${prefix}.g`, `${prefix}.b`], [
      { name: "axis", type: INT, i: -1 },
      { name: "epsilon", type: FLOAT_ATTR, f: LAYER_NORM_EPS },
    ]);
  }

  constant(name: string, values: number[]): void {
    this.initializers.push({ name, dims: [values.length], dataType: INT64, int64Data: values });
  }

  scalar(name: string, value: number): void {
    this.initializers.push({ name, dims: [], dataType: FLOAT, floatData: [value] });
  }
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]): schema.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } } };
}

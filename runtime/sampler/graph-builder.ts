/**
 * Writing ONNX graphs node by node with onnx-proto: the builder the policy's graph
 * (policy-graph.ts) and the process reward model's (runtime/prm/) are written with.
 */
import onnxProto, { type onnx as schema } from "onnx-proto";

const { onnx } = onnxProto;
export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const INT64 = onnx.TensorProto.DataType.INT64;
const { FLOAT: ATTR_FLOAT, INT: ATTR_INT, INTS: ATTR_INTS, STRING: ATTR_STRING } = onnx.AttributeProto.AttributeType;

type Attribute = schema.IAttributeProto;
/** N value names, as a tuple so a caller can destructure them. */
type Names<N extends number, Acc extends string[] = []> = Acc["length"] extends N ? Acc : Names<N, [...Acc, string]>;

/** Collects nodes; each helper returns the name of the value it produces. */
export class GraphBuilder {
  readonly nodes: schema.INodeProto[] = [];
  readonly initializers: schema.ITensorProto[] = [];
  private count = 0;

  op(opType: string, inputs: string[], attribute: Attribute[] = [], output?: string): string {
    const name = output ?? `${opType.toLowerCase()}_${this.count++}`;
    this.nodes.push({ opType, input: inputs, output: [name], name: `n${this.nodes.length}_${opType}`, attribute });
    return name;
  }

  /** An op with several outputs (Split). */
  multi<N extends number>(opType: string, inputs: string[], outputs: N, attribute: Attribute[] = []): Names<N> {
    const names = Array.from({ length: outputs }, () => `${opType.toLowerCase()}_${this.count++}`);
    this.nodes.push({ opType, input: inputs, output: names, name: `n${this.nodes.length}_${opType}`, attribute });
    return names as Names<N>;
  }

  ints(name: string, values: number[]): string {
    this.initializers.push({ name, dims: [values.length], dataType: INT64, int64Data: values });
    return name;
  }

  scalarInt(name: string, value: number): string {
    this.initializers.push({ name, dims: [], dataType: INT64, int64Data: [value] });
    return name;
  }

  scalarFloat(name: string, value: number): string {
    this.initializers.push({ name, dims: [], dataType: FLOAT, floatData: [value] });
    return name;
  }
}

export const int = (name: string, i: number): Attribute => ({ name, type: ATTR_INT, i });
export const ints = (name: string, values: number[]): Attribute => ({ name, type: ATTR_INTS, ints: values });
export const float = (name: string, f: number): Attribute => ({ name, type: ATTR_FLOAT, f });
export const text = (name: string, s: string): Attribute => ({ name, type: ATTR_STRING, s: new TextEncoder().encode(s) });

export function valueInfo(name: string, elemType: number, dims: (number | string)[]): schema.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } } };
}

/** A float32 initializer: weights stored in the model file. */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array): schema.ITensorProto {
  return { name, dims: [...dims], dataType: FLOAT, floatData: Array.from(values) };
}

/** The encoded ModelProto (IR 10, opset 20: what onnxruntime-node 1.30 takes). */
export function encodeModel(name: string, g: GraphBuilder, input: schema.IValueInfoProto[], output: schema.IValueInfoProto[]): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 10,
    producerName: "roux",
    opsetImport: [{ domain: "", version: 20 }],
    graph: { name, node: g.nodes, initializer: g.initializers, input, output },
  });
  return onnx.ModelProto.encode(model).finish();
}

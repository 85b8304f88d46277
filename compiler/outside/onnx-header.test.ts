import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import onnxProto, { type onnx as schema } from "onnx-proto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { readOnnxHeader } from "./onnx-header.js";

const { onnx } = onnxProto;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "roux-onnx-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function file(name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;

function tensorInfo(name: string, dims: (number | string)[]): schema.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } };
}

/**
 * A reward model as an exporter writes it: `score = sigmoid(features @ w + b)`, the weights as
 * initializers, `b` also listed as an input (a weight with a default), and `w` as large as asked.
 */
function rewardModel(weightBytes: number): Uint8Array {
  const columns = weightBytes / 4 / 16;
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "roux-test",
    opsetImport: [
      { domain: "", version: 17 },
      { domain: "com.microsoft", version: 1 },
    ],
    graph: {
      name: "reward",
      node: [
        { opType: "MatMul", input: ["features", "w"], output: ["logits"] },
        { opType: "Add", input: ["logits", "b"], output: ["shifted"] },
        { opType: "Sigmoid", input: ["shifted"], output: ["score"] },
      ],
      initializer: [
        { name: "w", dims: [16, columns], dataType: FLOAT, rawData: new Uint8Array(weightBytes).fill(0x3f) },
        { name: "b", dims: [columns], dataType: FLOAT, floatData: Array.from({ length: columns }, () => 0.5) },
      ],
      input: [tensorInfo("features", ["batch", 16]), tensorInfo("b", [columns])],
      output: [tensorInfo("score", ["batch", columns]), tensorInfo("logits", ["batch", columns])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Counts the bytes asked of every open file, to show the weights are jumped over. */
async function countReads(): Promise<() => number> {
  const handle = await open(await file("probe", ""), "r");
  const read = vi.spyOn(Object.getPrototypeOf(handle), "read");
  await handle.close();
  return () => read.mock.calls.reduce((sum, call) => sum + Number(call[2]), 0);
}

describe("readOnnxHeader", () => {
  it("reads input and output names, leaving out inputs that are initializers, and the versions", async () => {
    const path = await file("small.onnx", rewardModel(1024));
    expect(await readOnnxHeader(path)).toEqual({
      ok: true,
      path,
      irVersion: 8,
      opsets: [
        { domain: "", version: 17 },
        { domain: "com.microsoft", version: 1 },
      ],
      inputs: ["features"],
      allInputs: ["features", "b"],
      outputs: ["score", "logits"],
    });
  });

  it("jumps over a large initializer without reading it", async () => {
    const bytes = rewardModel(64 * 1024 * 1024);
    const path = await file("large.onnx", bytes);
    const bytesAsked = await countReads();
    expect(await readOnnxHeader(path)).toMatchObject({ ok: true, inputs: ["features"], outputs: ["score", "logits"] });
    expect(bytesAsked()).toBeLessThan(bytes.length / 100);
  });

  it("treats a sparse initializer as an initializer", async () => {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ version: 17 }],
      graph: {
        sparseInitializer: [
          {
            values: { name: "mask", dims: [1], dataType: FLOAT, floatData: [1] },
            indices: { dims: [1], dataType: onnx.TensorProto.DataType.INT64, int64Data: [3] },
            dims: [8],
          },
        ],
        input: [tensorInfo("x", [8]), tensorInfo("mask", [8])],
        output: [tensorInfo("y", [8])],
      },
    });
    const path = await file("sparse.onnx", onnx.ModelProto.encode(model).finish());
    expect(await readOnnxHeader(path)).toMatchObject({ ok: true, inputs: ["x"], allInputs: ["x", "mask"] });
  });

  it("fails on a missing file, naming it", async () => {
    const path = join(dir, "nope.onnx");
    expect(await readOnnxHeader(path)).toEqual({ ok: false, kind: "missing", path, reason: "no such file" });
  });

  it("fails on a model without a graph", async () => {
    const path = await file("no-graph.onnx", onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ version: 17 }] }).finish());
    expect(await readOnnxHeader(path)).toEqual({ ok: false, kind: "invalid", path, reason: "the ONNX model has no graph" });
  });

  it("fails on a file that is not an ONNX model", async () => {
    const notOnnx: [string, Uint8Array | string][] = [
      ["empty.onnx", ""],
      ["data.onnx", '{"prompt": "1+1"}\n'],
      ["script.onnx", "export const x = 1;\n"],
      ["random.onnx", Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)],
      // Well-formed protobuf, but not a ModelProto: field 1 holds a string.
      ["value-info.onnx", onnx.ValueInfoProto.encode(tensorInfo("x", [1])).finish()],
    ];
    for (const [name, content] of notOnnx) {
      const result = await readOnnxHeader(await file(name, content));
      expect(result, name).toMatchObject({ ok: false, kind: "invalid" });
      if (!result.ok) expect(result.reason, name).toMatch(/not an ONNX model/);
    }
  });

  it("fails, without throwing, on every truncation of a model", async () => {
    const bytes = rewardModel(256);
    const cut = await file("truncated.onnx", bytes.subarray(0, bytes.length - 3));
    expect(await readOnnxHeader(cut)).toMatchObject({
      ok: false,
      kind: "invalid",
      reason: expect.stringMatching(/^not an ONNX model, or a truncated one: .*past the end/),
    });
    for (let length = 1; length < bytes.length; length++) {
      const result = await readOnnxHeader(await file("prefix.onnx", bytes.subarray(0, length)));
      // The only prefixes that parse end between the graph and the opsets.
      if (result.ok) expect(result.opsets.length).toBeLessThan(2);
    }
  });

  it("fails, without throwing, on corrupt bytes anywhere in a model", async () => {
    const bytes = rewardModel(256);
    for (let at = 0; at < bytes.length; at++) {
      const corrupt = Uint8Array.from(bytes);
      corrupt[at] = 0xff;
      const result = await readOnnxHeader(await file("corrupt.onnx", corrupt));
      expect(typeof result.ok).toBe("boolean");
    }
  });
});

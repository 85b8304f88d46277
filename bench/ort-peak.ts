/**
 * onnxruntime's own matmul peak on this machine: one square MatMul, run by a session with the
 * sampler's options and thread count, the best case for its kernels. `samplingBench` reports the
 * sampler's model FLOPs per second as a fraction of it.
 */
import * as ort from "onnxruntime-node";
import { encodeModel, FLOAT, GraphBuilder, valueInfo } from "../runtime/sampler/graph-builder.js";
import { samplerSessionOptions } from "../runtime/sampler/onnx-sampler.js";

/**
 * FLOP/s of an n x n by n x n product in its fastest of `repeats` runs: a peak is the best case,
 * and on a shared machine the slower runs measure the other jobs.
 */
export async function ortMatmulPeak(threads?: number, n = 512, repeats = 20): Promise<number> {
  const g = new GraphBuilder();
  g.op("MatMul", ["a", "b"], [], "c");
  const model = encodeModel("matmul", g, [valueInfo("a", FLOAT, [n, n]), valueInfo("b", FLOAT, [n, n])], [valueInfo("c", FLOAT, [n, n])]);
  const session = await ort.InferenceSession.create(model, { ...samplerSessionOptions(threads), executionProviders: ["cpu"] });
  const random = (seed: number) => Float32Array.from({ length: n * n }, (_, i) => Math.sin(seed + i));
  const feeds = { a: new ort.Tensor("float32", random(1), [n, n]), b: new ort.Tensor("float32", random(2), [n, n]) };
  // The output written into one buffer each run, as the sampler's are: the product alone is timed.
  const fetches = { c: new ort.Tensor("float32", new Float32Array(n * n), [n, n]) };
  await session.run(feeds, fetches);
  let millis = Infinity;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await session.run(feeds, fetches);
    millis = Math.min(millis, performance.now() - started);
  }
  await session.release();
  return (2 * n ** 3) / (millis / 1000);
}

// The contract of architecture.ts, held by both engines at once: the training engine (tfjs)
// and the sampler (onnxruntime) give the same log-probs for the same weights.
import { describe, expect, it } from "vitest";
import { createOnnxSampler } from "../sampler/onnx-sampler.js";
import { TrainingEngine } from "../trainer/engine.js";
import { initialWeights, type Architecture } from "./architecture.js";
import type { Sequence } from "./sequence.js";
import { largestDifference } from "./testing.js";

const arch: Architecture = { layers: 2, dModel: 32, heads: 4, context: 40, vocab: 20, eos: 19, dropout: 0 };

describe("the two engines", () => {
  it("give the same log-probs for the same weights, also after training changed them", async () => {
    const engine = await TrainingEngine.create(arch, initialWeights(arch, 11), "wasm");
    const sampler = await createOnnxSampler(arch);
    const sequences: Sequence[] = [
      { prompt: [1, 2, 3, 4], response: [5, 6, 7, 19] },
      { prompt: [9], response: [10, 11, 12, 13, 14, 15, 16, 17] },
    ];
    for (let round = 0; round < 3; round++) {
      const tf = engine.score(sequences).logprobs;
      const onnx = await sampler.logProbs(engine.weights(), sequences);
      expect(largestDifference(tf, onnx)).toBeLessThan(1e-5);
      for (let s = 0; s < 10; s++) engine.sftStep(sequences, { lr: 1e-2, betas: [0.9, 0.999], weightDecay: 0, clipGrad: 1 });
    }
    await sampler.close();
    engine.dispose();
  });
});

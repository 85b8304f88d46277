// The contract of architecture.ts, held by both engines at once: the training engine (tfjs)
// and the sampler (onnxruntime) give the same log-probs for the same weights, at the
// temperature the rollouts were sampled at (docs/algorithms.md §1.5).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../ops/rng.js";
import { createOnnxSampler, type OnnxSampler } from "../sampler/onnx-sampler.js";
import { TrainingEngine } from "../trainer/engine.js";
import { initialWeights, type Architecture } from "./architecture.js";
import type { Sequence } from "./sequence.js";
import { largestDifference, referenceTokenScores, sharpWeights } from "./testing.js";

const arch: Architecture = { layers: 2, dModel: 32, heads: 4, context: 40, vocab: 20, eos: 19, dropout: 0 };

let sampler: OnnxSampler;
beforeAll(async () => {
  sampler = await createOnnxSampler(arch);
});
afterAll(async () => {
  await sampler.close();
});

describe("the two engines", () => {
  it("give the same log-probs for the same weights, also after training changed them", async () => {
    const engine = await TrainingEngine.create(arch, initialWeights(arch, 11), "wasm");
    const sequences: Sequence[] = [
      { prompt: [1, 2, 3, 4], response: [5, 6, 7, 19] },
      { prompt: [9], response: [10, 11, 12, 13, 14, 15, 16, 17] },
    ];
    for (let round = 0; round < 3; round++) {
      const tf = engine.score(sequences, 1).logprobs;
      const onnx = await sampler.logProbs(engine.weights(), sequences, 1);
      expect(largestDifference(tf, onnx)).toBeLessThan(1e-5);
      for (let s = 0; s < 10; s++) engine.sftStep(sequences, { lr: 1e-2, betas: [0.9, 0.999], weightDecay: 0, clipGrad: 1 });
    }
    engine.dispose();
  });
});

/** Prompts of 1 to 8 tokens, none of them eos. */
const prompts = Array.from({ length: 8 }, (_, i) => Array.from({ length: 1 + i }, (_, t) => (3 * i + 5 * t + 1) % (arch.vocab - 1)));
const frozen = { lr: 0, betas: [0.9, 0.999] as [number, number], weightDecay: 0, clipGrad: 1 };

for (const device of ["cpu", "wasm"] as const) {
  describe(`sampling and training at one temperature, on ${device}`, () => {
    for (const temperature of [0.7, 1.3, 1]) {
      it(`T = ${temperature}: the trainer's log-probs and entropy are those of the distribution sampled from, and the first PPO ratio is 1`, async () => {
        // Logits far from uniform, so that tempering moves log-probs by much more than the tolerance.
        const weights = sharpWeights(arch, 3, 12);
        const engine = await TrainingEngine.create(arch, weights, device);
        const drawn: number[][] = prompts.map(() => []);
        const sequences = await sampler.sample(weights, prompts, {
          temperature,
          topP: 1,
          maxTokens: 12,
          rng: mulberry32(7),
          onToken: (row, token) => drawn[row]?.push(token.logprob),
        });
        const sampled = Float32Array.from(drawn.flat());
        expect(sampled.length).toBeGreaterThan(40);

        // Per token, the trainer scores what the sampler drew from; so does the sampler's own pass.
        const trained = engine.score(sequences, temperature);
        expect(largestDifference(trained.logprobs, sampled)).toBeLessThan(1e-4);
        expect(largestDifference(await sampler.logProbs(weights, sequences, temperature), sampled)).toBeLessThan(1e-5);
        const reference = referenceTokenScores(arch, weights, sequences, temperature);
        expect(largestDifference(trained.entropy, reference.entropy)).toBeLessThan(1e-4);

        // The first epoch's ratio against the sampler's log-probs (the distribution drawn from)
        // and against the trainer's own (what a run uses): exactly 1, so nothing clips and the
        // policy loss is -sum_t w_t A_t; the reported entropy is the tempered one, weighted.
        const n = sampled.length;
        const advantages = Float32Array.from({ length: n }, (_, t) => (t % 3) - 1 + 0.5 * (t % 2));
        const lossWeights = new Float32Array(n).fill(1 / n);
        const unitRatio = -advantages.reduce((s, a) => s + a / n, 0);
        const tempered = reference.entropy.reduce((s, h) => s + h / n, 0);
        for (const oldLogprobs of [sampled, trained.logprobs]) {
          const clip = { low: 0.2, high: 0.2, dual: 3 };
          const r = engine.rlStep({ sequences, temperature, advantages, oldLogprobs, lossWeights, clip, entropyCoef: 0 }, frozen);
          expect(r.clipFraction).toBe(0);
          expect(Math.abs(r.policyLoss - unitRatio)).toBeLessThan(1e-5);
          expect(Math.abs(r.entropy - tempered)).toBeLessThan(1e-4);
        }
        engine.dispose();
      });
    }
  });
}

import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initialWeights, type Architecture } from "../policy/architecture.js";
import type { Sequence } from "../policy/sequence.js";
import { largestDifference, referenceLogits, referenceLogProbs, referenceTokenScores, sharpWeights } from "../policy/testing.js";
import { TrainingEngine } from "./engine.js";

const arch: Architecture = { layers: 2, dModel: 16, heads: 2, context: 24, vocab: 12, eos: 11, dropout: 0 };

const sequences: Sequence[] = [
  { prompt: [1, 2, 3], response: [4, 5, 11] },
  { prompt: [7], response: [8, 9, 10, 2, 3, 11] },
  { prompt: [5, 5, 5, 5, 5], response: [6] },
];

const adam = { lr: 1e-2, betas: [0.9, 0.999] as [number, number], weightDecay: 0, clipGrad: 1 };

for (const device of ["cpu", "wasm"] as const) {
  describe(`the training engine on ${device}`, () => {
    it("gives the reference model's log-probs, whatever else is in the batch", async () => {
      const weights = sharpWeights(arch, 1, 25);
      const engine = await TrainingEngine.create(arch, weights, device);
      const { logprobs } = engine.score(sequences, 1);
      const expected = sequences.flatMap((s) => referenceLogProbs(arch, weights, [...s.prompt, ...s.response]).slice(s.prompt.length));
      expect(largestDifference(logprobs, expected)).toBeLessThan(1e-5);
      // alone, a row scores the same as beside longer rows (padding is invisible)
      const alone = engine.score(sequences.slice(-1), 1).logprobs;
      expect(Array.from(alone)).toEqual(Array.from(logprobs.slice(-1)));
      expect(Math.min(...expected)).toBeLessThan(-3); // the test is sensitive: logits are not uniform
      engine.dispose();
    });

    it("scores at the sampling temperature: log p and entropy of softmax(z / T), and refuses T <= 0", async () => {
      const weights = sharpWeights(arch, 1, 25);
      const engine = await TrainingEngine.create(arch, weights, device);
      const untempered = engine.score(sequences, 1);
      for (const temperature of [0.7, 1.3]) {
        const { logprobs, entropy } = engine.score(sequences, temperature);
        const expected = referenceTokenScores(arch, weights, sequences, temperature);
        expect(largestDifference(logprobs, expected.logp)).toBeLessThan(1e-5);
        expect(largestDifference(entropy, expected.entropy)).toBeLessThan(1e-5);
        // T moves the values far beyond the tolerance: the comparison sees the temperature.
        expect(largestDifference(logprobs, untempered.logprobs)).toBeGreaterThan(0.1);
        expect(largestDifference(entropy, untempered.entropy)).toBeGreaterThan(0.1);
      }
      // Greedy (T = 0) is a point mass: no log-probs to train on, and nothing divides by 0.
      for (const temperature of [0, -1, NaN, Infinity]) expect(() => engine.score(sequences, temperature)).toThrow(/temperature > 0/);
      engine.dispose();
    });

    it("learns a response by SFT, without leaking tensors", async () => {
      const engine = await TrainingEngine.create(arch, initialWeights(arch, 2), device);
      const task: Sequence[] = [
        { prompt: [1], response: [2, 3, 4, 11] },
        { prompt: [5], response: [6, 7, 11] },
      ];
      const losses: number[] = [];
      let tensors = 0;
      for (let step = 0; step < 40; step++) {
        const r = engine.sftStep(task, adam);
        expect(r.applied).toBe(true);
        losses.push(r.loss);
        if (step === 1) tensors = tf.memory().numTensors;
      }
      expect(tf.memory().numTensors).toBe(tensors);
      expect(losses.at(-1)).toBeLessThan(0.1 * losses[0]!);
      expect(engine.sftStep(task, adam).tokens).toBe(7);
      const { logprobs } = engine.score(task, 1);
      for (const lp of logprobs) expect(lp).toBeGreaterThan(Math.log(0.5));
      // Greedy decoding from each prompt, with the reference forward on the trained weights,
      // reproduces the response and stops at eos.
      const trained = engine.weights();
      for (const row of task) {
        const ids = [...row.prompt];
        while (ids.length < arch.context && ids.at(-1) !== arch.eos) {
          const last = referenceLogits(arch, trained, ids).at(-1)!;
          ids.push(last.indexOf(Math.max(...last)));
        }
        expect(ids.slice(row.prompt.length)).toEqual(row.response);
      }
      engine.dispose();
    });

    it("raises the log-prob of a token with a positive advantage and refuses a NaN update", async () => {
      const weights = initialWeights(arch, 3);
      const engine = await TrainingEngine.create(arch, weights, device);
      const rows: Sequence[] = [{ prompt: [1, 2], response: [3, 4] }];
      const before = engine.score(rows, 1).logprobs;
      const input = {
        sequences: rows,
        temperature: 1,
        oldLogprobs: before,
        lossWeights: Float32Array.from([0.5, 0.5]),
        clip: { low: 0.2, high: 0.2, dual: 3 },
        entropyCoef: 0,
      };
      const r = engine.rlStep({ ...input, advantages: Float32Array.from([1, 0]) }, { ...adam, lr: 1e-3 });
      expect(r.applied).toBe(true);
      const after = engine.score(rows, 1).logprobs;
      expect(after[0]).toBeGreaterThan(before[0]!);
      const snapshot = engine.weights();
      const state = engine.optimizerState();
      const bad = engine.rlStep({ ...input, advantages: Float32Array.from([NaN, 0]) }, adam);
      expect(bad).toMatchObject({ applied: false, nonFinite: "loss" });
      expect(engine.weights()).toEqual(snapshot);
      expect(engine.optimizerState()).toEqual(state);
      engine.dispose();
    });
  });
}

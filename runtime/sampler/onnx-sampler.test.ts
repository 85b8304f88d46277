import { describe, expect, it } from "vitest";
import { mulberry32 } from "../ops/rng.js";
import { initialWeights, type Architecture, type Weights } from "../policy/architecture.js";
import { referenceLogits, referenceLogProbs } from "../policy/testing.js";
import { createOnnxSampler } from "./onnx-sampler.js";

const arch: Architecture = { layers: 2, dModel: 16, heads: 2, context: 24, vocab: 12, eos: 11, dropout: 0 };

function sharpWeights(seed: number): Weights {
  const w = initialWeights(arch, seed);
  for (const [name, values] of w) if (!name.includes("ln")) for (let i = 0; i < values.length; i++) values[i] *= 25;
  return w;
}

describe("the ONNX sampler", () => {
  it("gives the reference model's log-probs, with rows of different lengths in one batch", async () => {
    const sampler = await createOnnxSampler(arch);
    const weights = sharpWeights(1);
    const sequences = [
      { prompt: [1, 2, 3], response: [4, 5, 11] },
      { prompt: [7], response: [8, 9, 10, 2, 3, 11] },
      { prompt: [5, 5, 5, 5, 5], response: [6] },
    ];
    const got = await sampler.logProbs(weights, sequences);
    const expected = sequences.flatMap((s) => referenceLogProbs(arch, weights, [...s.prompt, ...s.response]).slice(s.prompt.length));
    expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - expected[i])))).toBeLessThan(1e-5);
    expect(Math.min(...expected)).toBeLessThan(-3);
    // other weights give other values: the weights really are the graph's inputs
    expect(Array.from(await sampler.logProbs(sharpWeights(2), sequences))).not.toEqual(Array.from(got));
    await sampler.close();
  });

  it("samples greedily what the reference model predicts step by step (the KV cache is exact)", async () => {
    const sampler = await createOnnxSampler(arch);
    const weights = sharpWeights(3);
    const prompts = [[1, 2], [3, 4, 5, 6, 7], [8]];
    const out = await sampler.sample(weights, prompts, { temperature: 0, topP: 1, maxTokens: 8, rng: mulberry32(1) });
    out.forEach((s, i) => {
      expect(s.prompt).toEqual(prompts[i]);
      const ids = [...prompts[i]];
      for (const token of s.response) {
        const logits = referenceLogits(arch, weights, ids).at(-1)!;
        expect(token).toBe(logits.indexOf(Math.max(...logits)));
        ids.push(token);
      }
      expect(s.response.length === 8 || s.response.at(-1) === arch.eos).toBe(true);
      expect(s.response.slice(0, -1)).not.toContain(arch.eos);
    });
    await sampler.close();
  });

  it("is deterministic for a seed, and respects max tokens and the context", async () => {
    const sampler = await createOnnxSampler(arch);
    const weights = initialWeights(arch, 4);
    const prompts = [[1], [2, 3], Array.from({ length: 22 }, () => 4), Array.from({ length: 24 }, () => 5)];
    const settings = (seed: number) => ({ temperature: 1, topP: 1, maxTokens: 6, rng: mulberry32(seed) });
    const a = await sampler.sample(weights, prompts, settings(7));
    expect(await sampler.sample(weights, prompts, settings(7))).toEqual(a);
    expect(await sampler.sample(weights, prompts, settings(8))).not.toEqual(a);
    for (const s of a) expect(s.response.length).toBeLessThanOrEqual(6);
    expect(a[2].response.length).toBeLessThanOrEqual(2);
    expect(a[3].response).toEqual([]);
    // near-uniform weights rarely stop early: most rows reach max_tokens
    expect(a[0].response.length + a[1].response.length).toBeGreaterThan(6);
    await sampler.close();
  });
});

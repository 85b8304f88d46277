import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32, type Rng } from "../ops/rng.js";
import { parameterSpecs, type Architecture, type Weights } from "../policy/architecture.js";
import type { Sequence } from "../policy/sequence.js";
import { largestDifference, referenceLogits, referenceLogProbs, sharpWeights } from "../policy/testing.js";
import { createOnnxSampler, type OnnxSampler, type SampleSettings } from "./onnx-sampler.js";
import { policyGraph } from "./policy-graph.js";

const arch: Architecture = { layers: 2, dModel: 16, heads: 2, context: 24, vocab: 12, eos: 11, dropout: 0 };

const sharp = (seed: number, scale = 30): Weights => sharpWeights(arch, seed, scale);

/** The first index of the largest value. */
const argmax = (v: ArrayLike<number>) => {
  const values = Array.from(v);
  return values.indexOf(Math.max(...values));
};

function counting(rng: Rng): Rng & { draws: number } {
  const counted = () => {
    counted.draws++;
    return rng();
  };
  counted.draws = 0;
  return counted;
}

let sampler: OnnxSampler;
beforeAll(async () => {
  sampler = await createOnnxSampler(arch);
});
afterAll(async () => {
  await sampler.close();
});

describe("the ONNX sampler's log-probs", () => {
  it("equal the reference model's, with rows of different lengths in one batch", async () => {
    const weights = sharp(1);
    const sequences: Sequence[] = [
      { prompt: [1, 2, 3], response: [4, 5, 11] },
      { prompt: [7], response: [8, 9, 10, 2, 3, 11] },
      { prompt: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5], response: [6] },
      { prompt: [4, 4], response: [] },
      { prompt: Array.from({ length: 12 }, (_, i) => i % 11), response: Array.from({ length: 12 }, (_, i) => (i * 5) % 12) },
    ];
    const got = await sampler.logProbs(weights, sequences, 1);
    const expected = sequences.flatMap((s) => referenceLogProbs(arch, weights, [...s.prompt, ...s.response]).slice(s.prompt.length));
    expect(got.length).toBe(expected.length);
    expect(largestDifference(got, expected)).toBeLessThan(1e-5);
    // far from uniform (log 1/12 = -2.48): the test would catch a wrong layout
    expect(Math.min(...expected)).toBeLessThan(-5);
    // other weights, fed to the same session, give other values: the weights are inputs
    const other = await sampler.logProbs(sharp(2), sequences, 1);
    expect(largestDifference(other, got)).toBeGreaterThan(1);
  });
});

describe("tests that can fail", () => {
  it("a later token never changes an earlier log-prob (the causal mask), and swapped weights are caught", async () => {
    const weights = sharp(7);
    const a = await sampler.logProbs(weights, [{ prompt: [1, 2], response: [3, 4, 5, 6] }], 1);
    const b = await sampler.logProbs(weights, [{ prompt: [1, 2], response: [3, 4, 5, 9] }], 1);
    // positions before the changed one agree exactly; without the causal mask they would differ
    expect(Array.from(b.subarray(0, 3))).toEqual(Array.from(a.subarray(0, 3)));
    expect(Math.abs(b[3]! - a[3]!)).toBeGreaterThan(1e-3);
    // two same-shaped weights swapped: the reference disagrees with the graph by far more than 1e-5
    const swapped = new Map(weights);
    swapped.set("layer0.attn.w_qkv", weights.get("layer1.attn.w_qkv")!);
    swapped.set("layer1.attn.w_qkv", weights.get("layer0.attn.w_qkv")!);
    const s = { prompt: [1, 2, 3], response: [4, 5, 6, 7] };
    const got = await sampler.logProbs(swapped, [s], 1);
    const expected = referenceLogProbs(arch, weights, [...s.prompt, ...s.response]).slice(s.prompt.length);
    expect(largestDifference(got, expected)).toBeGreaterThan(0.1);
  });
});

describe("devices", () => {
  it("device gpu falls back to the CPU with a message when CUDA is not there, and samples", async () => {
    const cuda = ort.listSupportedBackends().some((b) => b.name === "cuda" && b.bundled);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(String(message));
    try {
      const gpu = await createOnnxSampler(arch, { device: "gpu", threads: 1 });
      const [s] = await gpu.sample(sharp(3), [[1, 2]], { temperature: 0, topP: 1, maxTokens: 3, rng: mulberry32(1) });
      expect(s?.response.length).toBeGreaterThan(0);
      await gpu.close();
    } finally {
      console.warn = warn;
    }
    if (!cuda) expect(warnings.join("\n")).toMatch(/CUDA execution provider is not available.*sampling on the CPU/);
  });

  it("refuses an architecture the graph cannot be built for, saying why", async () => {
    await expect(createOnnxSampler({ ...arch, heads: 3 })).rejects.toThrow(/d_model 16 is not a multiple of heads 3/);
  });
});

describe("the policy graph's KV cache", () => {
  it("gives the next-token logits of a full recompute, for one and for several new positions", async () => {
    const session = await ort.InferenceSession.create(policyGraph(arch));
    const weights = sharp(5);
    const rows = [
      [3, 1, 4, 1, 5, 9, 2],
      [6, 5, 3, 5],
      [8, 9, 7, 9, 3, 2, 3, 8, 4],
    ];
    const L = Math.max(...rows.map((r) => r.length));
    const dh = arch.dModel / arch.heads;
    const w = Object.fromEntries(parameterSpecs(arch).map((s) => [s.name, new ort.Tensor("float32", weights.get(s.name)!, [...s.shape])]));
    const int64 = (v: number[], dims: number[]) => new ort.Tensor("int64", BigInt64Array.from(v, BigInt), dims);
    // Left-padded columns from..to of the batch: ids, positions, and the mask over columns 0..to.
    const columns = (from: number, to: number) => {
      const ids: number[] = [],
        positions: number[] = [],
        mask: number[] = [];
      rows.forEach((row) => {
        const pad = L - row.length;
        // eos: padding, left of the row
        for (let c = from; c < to; c++) {
          ids.push(row[c - pad] ?? arch.eos);
          positions.push(Math.max(0, c - pad));
        }
        for (let c = 0; c < to; c++) mask.push(c < pad ? 0 : 1);
      });
      return {
        input_ids: int64(ids, [rows.length, to - from]),
        position_ids: int64(positions, [rows.length, to - from]),
        attention_mask: int64(mask, [rows.length, to]),
      };
    };
    const empty = Object.fromEntries(
      Array.from({ length: arch.layers }, (_, l) =>
        ["key", "value"].map((k) => [`past_${k}.${l}`, new ort.Tensor("float32", new Float32Array(0), [rows.length, arch.heads, 0, dh])]),
      ).flat(),
    );
    const past = (out: ort.InferenceSession.OnnxValueMapType) =>
      Object.fromEntries(Array.from({ length: arch.layers }, (_, l) => ["key", "value"].map((k) => [`past_${k}.${l}`, out[`present_${k}.${l}`]])).flat());

    const full = await session.run({ ...w, ...empty, ...columns(0, L) });
    const prefix = await session.run({ ...w, ...empty, ...columns(0, L - 3) });
    const two = await session.run({ ...w, ...past(prefix), ...columns(L - 3, L - 1) }); // P > 0, S = 2: causal within
    const one = await session.run({ ...w, ...past(two), ...columns(L - 1, L) });
    expect(one["present_key.1"]?.dims).toEqual([rows.length, arch.heads, L, dh]);
    const logitsOf = (out: ort.InferenceSession.OnnxValueMapType) => {
      if (out.logits === undefined) throw new Error("the run gave no logits");
      return out.logits.data as Float32Array;
    };
    const fullLogits = logitsOf(full);
    const at = (r: number, c: number) => fullLogits.subarray((r * L + c) * arch.vocab, (r * L + c + 1) * arch.vocab);
    const step = (out: typeof full, r: number, s: number, S: number) => logitsOf(out).subarray((r * S + s) * arch.vocab, (r * S + s + 1) * arch.vocab);
    rows.forEach((row, r) => {
      expect(largestDifference(step(one, r, 0, 1), at(r, L - 1))).toBeLessThan(1e-5);
      expect(largestDifference(step(two, r, 0, 2), at(r, L - 3))).toBeLessThan(1e-5);
      expect(largestDifference(step(two, r, 1, 2), at(r, L - 2))).toBeLessThan(1e-5);
      // and the full run is the reference model's, row by row (padding hidden, positions from 0)
      expect(largestDifference(at(r, L - 1), referenceLogits(arch, weights, row).at(-1)!)).toBeLessThan(1e-5);
    });
    await session.release();
  });
});

describe("sampling", () => {
  const prompts = [[1, 2], [3, 4, 5, 6, 7], [8], [2, 2, 2, 2, 2, 2, 2, 2, 2]];

  it("greedy equals the reference model's argmax step by step, alone or in a batch", async () => {
    const weights = sharp(3);
    const rng = counting(mulberry32(1));
    const out = await sampler.sample(weights, prompts, { temperature: 0, topP: 1, maxTokens: 10, rng });
    expect(rng.draws).toBe(0);
    for (const [i, s] of out.entries()) {
      expect(s.prompt).toEqual(prompts[i]);
      const ids = [...s.prompt];
      for (const token of s.response) {
        expect(token).toBe(argmax(referenceLogits(arch, weights, ids).at(-1)!));
        ids.push(token);
      }
      expect(s.response.length === 10 || s.response.at(-1) === arch.eos).toBe(true);
      // the batch's padding and finished rows do not change a row's response
      const [alone] = await sampler.sample(weights, [s.prompt], { temperature: 0, topP: 1, maxTokens: 10, rng });
      expect(alone?.response).toEqual(s.response);
    }
  });

  it("is deterministic for a seed, one draw per unfinished row and position, and stops at eos", async () => {
    const weights = sharp(4, 3);
    const settings = (seed: number): SampleSettings => ({ temperature: 1, topP: 1, maxTokens: 12, rng: counting(mulberry32(seed)) });
    const many = [...prompts, ...prompts];
    const first = settings(7);
    const a = await sampler.sample(weights, many, first);
    expect(await sampler.sample(weights, many, settings(7))).toEqual(a);
    expect(await sampler.sample(weights, many, settings(8))).not.toEqual(a);
    expect((first.rng as Rng & { draws: number }).draws).toBe(a.reduce((n, s) => n + s.response.length, 0));
    for (const s of a) {
      expect(s.response.length).toBeLessThanOrEqual(12);
      expect(s.response.slice(0, -1)).not.toContain(arch.eos);
      expect(s.response.length === 12 || s.response.at(-1) === arch.eos).toBe(true);
    }
    // some rows stop early at eos, some run to max_tokens: both paths (and dropping rows) ran
    expect(a.some((s) => s.response.length < 12)).toBe(true);
    expect(a.some((s) => s.response.length === 12)).toBe(true);
  });

  it("never goes past the context, nor max_tokens", async () => {
    const weights = sharp(4, 1);
    const rows = [[1], Array.from({ length: 21 }, () => 4), Array.from({ length: 24 }, () => 5), [2, 3]];
    const out = await sampler.sample(weights, rows, { temperature: 1, topP: 1, maxTokens: 30, rng: mulberry32(3) });
    for (const s of out) expect(s.prompt.length + s.response.length).toBeLessThanOrEqual(arch.context);
    expect(out[2]?.response).toEqual([]);
    expect(out[1]?.response.length).toBeLessThanOrEqual(3);
    const none = await sampler.sample(weights, rows, { temperature: 1, topP: 1, maxTokens: 0, rng: mulberry32(3) });
    expect(none.map((s) => s.response)).toEqual([[], [], [], []]);
  });

  for (const temperature of [1, 0.7, 1.3]) {
    it(`reports each drawn token's logprob, which at T = ${temperature}, top_p = 1 is the teacher-forced one at T`, async () => {
      const weights = sharp(6, 10);
      const drawn: number[][] = prompts.map(() => []);
      const out = await sampler.sample(weights, prompts, {
        temperature,
        topP: 1,
        maxTokens: 8,
        rng: mulberry32(11),
        // A row outside `drawn` would leave its logprob out, which the length check below catches.
        onToken: (row, token) => drawn[row]?.push(token.logprob),
      });
      const teacher = await sampler.logProbs(weights, out, temperature);
      expect(teacher.length).toBe(drawn.flat().length);
      expect(largestDifference(drawn.flat(), teacher)).toBeLessThan(1e-5);
      expect(out.some((s) => s.response.length > 1)).toBe(true);
      if (temperature !== 1) expect(largestDifference(drawn.flat(), await sampler.logProbs(weights, out, 1))).toBeGreaterThan(0.1);
    });
  }

  it("fails with a clear message on bad input, missing weights, or after close", async () => {
    const weights = sharp(1);
    const settings: SampleSettings = { temperature: 1, topP: 1, maxTokens: 4, rng: mulberry32(1) };
    await expect(sampler.sample(weights, [[1], []], settings)).rejects.toThrow(/prompt 1 is empty/);
    await expect(sampler.sample(weights, [[1, 12]], settings)).rejects.toThrow(/token 1 of prompt 0 is 12/);
    await expect(sampler.sample(weights, [Array(25).fill(1)], settings)).rejects.toThrow(/context of 24/);
    await expect(sampler.sample(weights, [[1]], { ...settings, topP: 0 })).rejects.toThrow(/top_p/);
    const partial = new Map(weights);
    partial.delete("layer1.mlp.w_in");
    await expect(sampler.sample(partial, [[1]], settings)).rejects.toThrow(/no parameter `layer1.mlp.w_in`/);
    await expect(sampler.logProbs(weights, [{ prompt: [1], response: Array(24).fill(2) }], 1)).rejects.toThrow(/context/);
    await expect(sampler.logProbs(weights, [{ prompt: [1], response: [2] }], 0)).rejects.toThrow(/temperature > 0/);
    const closed = await createOnnxSampler(arch, { threads: 1 });
    await closed.close();
    await expect(closed.logProbs(weights, [{ prompt: [1], response: [2] }], 1)).rejects.toThrow(/after close/);
  });
});

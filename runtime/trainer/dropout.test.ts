import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../ops/rng.js";
import { initialWeights, parameterSpecs, type Architecture, type Weights } from "../policy/architecture.js";
import type { Sequence } from "../policy/sequence.js";
import { largestDifference, largestWeightDifference, nudged, referenceLogProbs, sharpWeights } from "../policy/testing.js";
import { selectBackend } from "./backend.js";
import { TrainingEngine } from "./engine.js";
import { dropoutMultipliers, layout, nextTokenScores } from "./tf-policy.js";

const arch: Architecture = { layers: 2, dModel: 16, heads: 2, context: 24, vocab: 12, eos: 11, dropout: 0.2 };
const adam = { lr: 1e-2, betas: [0.9, 0.999] as [number, number], weightDecay: 0.01, clipGrad: 1 };
const rows: Sequence[] = [
  { prompt: [1, 2], response: [3, 4, 11] },
  { prompt: [7], response: [8, 9, 10, 2, 11] },
];

async function trained(device: "cpu" | "wasm", seed: number, steps = 3): Promise<Weights> {
  const engine = await TrainingEngine.create(arch, initialWeights(arch, 4), device, { seed });
  for (let i = 0; i < steps; i++) expect(engine.sftStep(rows, adam).applied).toBe(true);
  const w = engine.weights();
  engine.dispose();
  return w;
}

describe("dropout", () => {
  it("multipliers are 0 with probability rate and 1 / (1 - rate) otherwise, the same for the same seed", () => {
    const m = dropoutMultipliers(20000, 0.25, mulberry32(3));
    expect(new Set(m)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    const zeros = m.filter((x) => x === 0).length / m.length;
    expect(Math.abs(zeros - 0.25)).toBeLessThan(0.02);
    expect(dropoutMultipliers(100, 0.25, mulberry32(3))).toEqual(m.slice(0, 100));
  });

  it("is off when scoring: log-probs are the reference model's", async () => {
    const w = sharpWeights(arch, 1, 8);
    const engine = await TrainingEngine.create(arch, w, "wasm", { seed: 5 });
    const expected = rows.flatMap((s) => referenceLogProbs(arch, w, [...s.prompt, ...s.response]).slice(s.prompt.length));
    const { logprobs } = engine.score(rows, 1);
    expect(largestDifference(logprobs, expected)).toBeLessThan(1e-5);
    expect(engine.score(rows, 1).logprobs).toEqual(logprobs);
    engine.dispose();
  });

  it("changes a training pass, and its gradient is the derivative of that pass (finite differences)", async () => {
    await selectBackend("cpu");
    const w = sharpWeights(arch, 2, 8);
    const batch = layout(rows, arch);
    const weights = new Float32Array(batch.rows * batch.length);
    for (const p of batch.responsePositions) weights[p] = 1 / batch.responsePositions.length;
    // The same seed gives the same masks on every evaluation, so the pass is a fixed function.
    const objective = (params: Map<string, tf.Tensor>) =>
      tf.sum(tf.mul(tf.neg(nextTokenScores(arch, params, batch, 1, { training: true, noise: mulberry32(11) }).logp), tf.tensor1d(weights))) as tf.Scalar;
    const tensors = (values: Weights) => new Map(parameterSpecs(arch).map((s) => [s.name, tf.tensor(values.get(s.name)!, s.shape as number[])]));
    const value = (values: Weights) => tf.tidy(() => objective(tensors(values)).arraySync());

    const scoring = tf.tidy(() => nextTokenScores(arch, tensors(w), batch, 1).logp.dataSync().slice());
    const dropped = tf.tidy(() =>
      nextTokenScores(arch, tensors(w), batch, 1, { training: true, noise: mulberry32(11) })
        .logp.dataSync()
        .slice(),
    );
    const moved = batch.responsePositions.reduce((n, p) => Math.max(n, Math.abs(scoring[p]! - dropped[p]!)), 0);
    expect(moved).toBeGreaterThan(1e-2);

    const vars = new Map(parameterSpecs(arch).map((s) => [s.name, tf.variable(tf.tensor(w.get(s.name)!, s.shape as number[]))]));
    const { grads, value: loss } = tf.variableGrads(() => objective(vars), [...vars.values()]);
    const h = 1e-3;
    let checked = 0;
    for (const name of ["tok_emb", "pos_emb", "layer0.attn.w_qkv", "layer1.mlp.w_in", "layer1.ln2.g", "ln_f.b"]) {
      const g = grads[vars.get(name)!.name]!.dataSync();
      for (const i of [1, Math.floor(g.length / 3), g.length - 2]) {
        const numeric = (value(nudged(w, name, i, h)) - value(nudged(w, name, i, -h))) / (2 * h);
        const analytic = g[i]!;
        expect(Math.abs(analytic - numeric), `${name}[${i}]: ${analytic} vs ${numeric}`).toBeLessThan(3e-3 + 3e-2 * Math.abs(numeric));
        checked++;
      }
    }
    expect(checked).toBe(18);
    tf.dispose([loss, ...Object.values(grads), ...vars.values()]);
  });

  it("is reproduced by the seed, on either backend, and leaks no tensors", async () => {
    const a = await trained("wasm", 1);
    expect(await trained("wasm", 1)).toEqual(a);
    expect(largestWeightDifference(a, await trained("wasm", 2))).toBeGreaterThan(1e-4);
    expect(largestWeightDifference(a, await trained("cpu", 1))).toBeLessThan(1e-4);

    const engine = await TrainingEngine.create(arch, initialWeights(arch, 4), "wasm", { seed: 1 });
    engine.sftStep(rows, adam);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) engine.sftStep(rows, adam);
    expect(tf.memory().numTensors).toBe(before);
    engine.dispose();
  });
});

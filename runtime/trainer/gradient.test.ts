import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { k3 } from "../ops/kl.js";
import { initialWeights, parameterSpecs, type Architecture, type Weights } from "../policy/architecture.js";
import type { Sequence } from "../policy/sequence.js";
import { largestDifference, largestWeightDifference, nudged, referenceTokenScores, sharpWeights } from "../policy/testing.js";
import { selectBackend } from "./backend.js";
import { referenceSftTokenLoss } from "./chord.reference.js";
import { TrainingEngine } from "./engine.js";
import { klTokens, ppoTokenLoss, weightedSum } from "./losses.js";
import { referencePpoToken } from "./ppo.reference.js";
import { layout, nextTokenScores } from "./tf-policy.js";

const arch: Architecture = { layers: 2, dModel: 16, heads: 2, context: 24, vocab: 12, eos: 11, dropout: 0 };
const adam = { lr: 1e-2, betas: [0.9, 0.999] as [number, number], weightDecay: 0.01, clipGrad: 1 };

const rows: Sequence[] = [
  { prompt: [1, 2], response: [3, 4, 11] },
  { prompt: [7], response: [8, 9] },
];
const clip = { low: 0.2, high: 0.28, dual: 3 };
const advantages = [1, 1, -1, -2, 0.5];
/** log(old) = logp - offset: ratios 1.5 (clipped above), 1.05, 0.5 (A < 0, clipped below), 5 (dual clip), 0.9. */
const offsets = [Math.log(1.5), Math.log(1.05), Math.log(0.5), Math.log(5), Math.log(0.9)];
const lossWeights = [0.2, 0.2, 0.2, 0.2, 0.2];
const klCoef = 0.3;
const entropyCoef = 0.05;

/** The RL objective of engine.ts at `temperature` written with the scalar references beside these tests, in float64. */
function scalarObjective(w: Weights, old: number[], ref: number[], temperature: number): number {
  const { logp, entropy } = referenceTokenScores(arch, w, rows, temperature);
  return logp.reduce((sum, lp, t) => {
    const ppo = referencePpoToken(lp, old[t]!, advantages[t]!, clip).loss;
    return sum + lossWeights[t]! * (ppo + klCoef * k3(lp, ref[t]!) - entropyCoef * entropy[t]!);
  }, 0);
}

for (const device of ["cpu", "wasm"] as const) {
  describe(`gradients and RL terms on ${device}`, () => {
    // T = 0.7: every term at the sampling temperature, the division by T in the gradient too.
    for (const temperature of [1, 0.7]) {
      it(`the tfjs gradient of PPO + k3 + entropy at T = ${temperature} matches finite differences of the float64 reference`, async () => {
        await selectBackend(device);
        const w = sharpWeights(arch, 5, 8);
        const base = referenceTokenScores(arch, w, rows, temperature);
        const old = base.logp.map((lp, t) => lp - offsets[t]!);
        const ref = base.logp.map((lp, t) => lp + 0.3 * (t - 2));
        const batch = layout(rows, arch);
        const place = (values: number[]) => {
          const out = new Float32Array(batch.rows * batch.length);
          for (const [j, p] of batch.responsePositions.entries()) out[p] = values[j]!;
          return tf.tensor1d(out);
        };
        const vars = new Map(parameterSpecs(arch).map((s) => [s.name, tf.variable(tf.tensor(w.get(s.name)!, s.shape as number[]))]));
        const grads = tf.tidy(() => {
          const { grads } = tf.variableGrads(() => {
            const { logp, entropy } = nextTokenScores(arch, vars, batch, temperature);
            const weights = place(lossWeights);
            const policy = weightedSum(ppoTokenLoss(logp, place(old), place(advantages), clip).loss, weights);
            const kl = weightedSum(klTokens(logp, place(ref), "k3"), weights);
            return tf.sub(tf.add(policy, tf.mul(kl, klCoef)), tf.mul(weightedSum(entropy, weights), entropyCoef)) as tf.Scalar;
          }, [...vars.values()]);
          return grads;
        });
        const byName = new Map([...vars].map(([name, v]) => [name, grads[v.name]!.dataSync()]));
        // Central differences on a spread of coordinates of every kind of parameter.
        const h = 1e-4;
        let checkedCount = 0;
        for (const [name, g] of byName) {
          for (const i of [0, Math.floor(g.length / 2), g.length - 1]) {
            const objective = (x: Weights) => scalarObjective(x, old, ref, temperature);
            const numeric = (objective(nudged(w, name, i, h)) - objective(nudged(w, name, i, -h))) / (2 * h);
            const analytic = g[i]!;
            expect(Math.abs(analytic - numeric), `${name}[${i}]: ${analytic} vs ${numeric}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
            checkedCount++;
          }
        }
        expect(checkedCount).toBe(3 * parameterSpecs(arch).length);
        // The check is not vacuous: some gradients are large.
        expect(Math.max(...[...byName.values()].map((g) => Math.max(...Array.from(g, Math.abs))))).toBeGreaterThan(1e-2);
        tf.dispose(grads);
        for (const v of vars.values()) v.dispose();
      });

      it(`reports the loss terms of the scalar references at T = ${temperature}, clipped and dual-clipped tokens included`, async () => {
        const w = sharpWeights(arch, 5, 8);
        const engine = await TrainingEngine.create(arch, w, device);
        const base = referenceTokenScores(arch, w, rows, temperature);
        const old = base.logp.map((lp, t) => lp - offsets[t]!);
        const ref = base.logp.map((lp, t) => lp + 0.3 * (t - 2));
        const r = engine.rlStep(
          {
            sequences: rows,
            temperature,
            advantages: Float32Array.from(advantages),
            oldLogprobs: Float32Array.from(old),
            lossWeights: Float32Array.from(lossWeights),
            clip,
            kl: { estimator: "k3", coef: klCoef, refLogprobs: Float32Array.from(ref) },
            entropyCoef,
          },
          adam,
        );
        type Token = { lp: number; old: number; ref: number; advantage: number; weight: number; entropy: number };
        const tokens: Token[] = base.logp.map((lp, t) => ({
          lp,
          old: old[t]!,
          ref: ref[t]!,
          advantage: advantages[t]!,
          weight: lossWeights[t]!,
          entropy: base.entropy[t]!,
        }));
        const scalar = (f: (token: Token) => number) => tokens.reduce((s, token) => s + token.weight * f(token), 0);
        const ppo = (token: Token) => referencePpoToken(token.lp, token.old, token.advantage, clip).loss;
        expect(r.policyLoss).toBeCloseTo(scalar(ppo), 4);
        expect(r.kl).toBeCloseTo(
          scalar((token) => k3(token.lp, token.ref)),
          4,
        );
        expect(r.entropy).toBeCloseTo(
          scalar((token) => token.entropy),
          4,
        );
        expect(r.loss).toBeCloseTo(scalarObjective(w, old, ref, temperature), 4);
        // tokens 0 (rho 1.5 > 1.28, A > 0) and 2 (rho 0.5 < 0.8, A < 0) take the clipped branch
        const clipped = tokens.filter((token) => referencePpoToken(token.lp, token.old, token.advantage, clip).clipped).length;
        expect(clipped).toBe(2);
        expect(r.clipFraction).toBeCloseTo(clipped / 5, 6);
        expect(ppo(tokens[3]!)).toBeCloseTo(2 * 3, 4); // the dual clip caps token 3 at -A c
        engine.dispose();
      });
    }

    // The expert's SFT term is taken at the stage's temperature too (T = 1.3).
    for (const temperature of [1, 1.3]) {
      it(`CHORD at T = ${temperature}: (1 - mu) L_RL + mu L_SFT with phi, and mix L_RL + w NLL; no leaked tensors`, async () => {
        const w = sharpWeights(arch, 6, 8);
        const engine = await TrainingEngine.create(arch, w, device);
        const { logprobs } = engine.score(rows, temperature);
        const expertRows: Sequence[] = [{ prompt: [4], response: [5, 6, 11] }];
        const expertLogp = engine.score(expertRows, temperature).logprobs;
        // The engine's scores at T are the float64 reference's, so the CHORD terms below are checked at T.
        expect(largestDifference(expertLogp, referenceTokenScores(arch, w, expertRows, temperature).logp)).toBeLessThan(1e-4);
        const input = {
          sequences: rows,
          temperature,
          advantages: Float32Array.from(advantages),
          oldLogprobs: logprobs,
          lossWeights: Float32Array.from(lossWeights),
          clip,
          entropyCoef: 0,
        };
        const frozen = { ...adam, lr: 0 };
        const rl = engine.rlStep(input, frozen).loss;
        const phiSft = Array.from(expertLogp, (lp) => referenceSftTokenLoss(lp, true)).reduce((a, b) => a + b) / 3;
        const nll = Array.from(expertLogp, (lp) => referenceSftTokenLoss(lp, false)).reduce((a, b) => a + b) / 3;
        const chord = engine.rlStep({ ...input, expert: { sequences: expertRows, mu: 0.25, phi: true } }, frozen);
        expect(chord.sftLoss).toBeCloseTo(phiSft, 5);
        expect(chord.loss).toBeCloseTo(0.75 * rl + 0.25 * phiSft, 5);
        const mix = engine.rlStep({ ...input, expert: { sequences: expertRows, weight: 0.5, mix: true } }, frozen);
        expect(mix.loss).toBeCloseTo(rl + 0.5 * nll, 5);
        const none = engine.rlStep({ ...input, expert: { sequences: [], mu: 0.25, phi: true } }, frozen);
        expect(none.loss).toBeCloseTo(0.75 * rl, 5);
        const tensors = tf.memory().numTensors;
        for (let i = 0; i < 3; i++) engine.rlStep({ ...input, expert: { sequences: expertRows, mu: 0.25, phi: true } }, adam);
        engine.score(rows, temperature, w);
        expect(tf.memory().numTensors).toBe(tensors);
        engine.dispose();
      });
    }
  });
}

describe("the engine across runs and backends", () => {
  const task: Sequence[] = [
    { prompt: [1], response: [2, 3, 4, 11] },
    { prompt: [5, 6], response: [7, 11] },
  ];
  async function train(device: "cpu" | "wasm"): Promise<{ weights: Weights; engine: TrainingEngine }> {
    const engine = await TrainingEngine.create(arch, initialWeights(arch, 9), device);
    for (let i = 0; i < 4; i++) engine.sftStep(task, adam);
    return { weights: engine.weights(), engine };
  }

  it("is deterministic: the same inputs give the same weights and optimizer state", async () => {
    const a = await train("wasm");
    const b = await train("wasm");
    expect(b.weights).toEqual(a.weights);
    expect(b.engine.optimizerState()).toEqual(a.engine.optimizerState());
    expect(a.engine.optimizerState().step).toBe(4);
    a.engine.dispose();
    b.engine.dispose();
  });

  it("cpu and wasm stay close after a few steps", async () => {
    const a = await train("cpu");
    const b = await train("wasm");
    expect(largestWeightDifference(a.weights, b.weights)).toBeLessThan(1e-4);
    a.engine.dispose();
    b.engine.dispose();
  });

  it("starts with a fresh optimizer, restores a saved one, and refuses bad rows clearly", async () => {
    const engine = await TrainingEngine.create(arch, initialWeights(arch, 9), "wasm");
    const fresh = engine.optimizerState();
    expect(fresh.step).toBe(0);
    expect([...fresh.m.values()].every((m) => m.every((x) => x === 0))).toBe(true);
    engine.sftStep(task, adam);
    const saved = engine.optimizerState();
    engine.setOptimizerState(undefined);
    expect(engine.optimizerState()).toEqual(fresh);
    engine.setOptimizerState(saved);
    expect(engine.optimizerState()).toEqual(saved);
    expect(() => engine.score([{ prompt: [], response: [1] }], 1)).toThrow(/prompt token/);
    expect(() => engine.score([{ prompt: [1], response: new Array(30).fill(2) }], 1)).toThrow(/context of 24/);
    expect(() => engine.sftStep([{ prompt: [1], response: [] }], adam)).toThrow(/no response tokens/);
    expect(engine.score([], 1)).toEqual({ logprobs: new Float32Array(0), entropy: new Float32Array(0) });
    engine.dispose();
  });
});

import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { aggregationWeights } from "../ops/aggregate.js";
import { k3 } from "../ops/kl.js";
import { f32, rolloutsFromSteps } from "../ops/testing.js";
import { selectBackend } from "./backend.js";
import { referenceSftTokenLoss } from "./chord.reference.js";
import { klTokens, ppoTokenLoss, sftTokenLoss, weightedSum, type Clip } from "./losses.js";
import { referencePpoToken, referenceRatio } from "./ppo.reference.js";

const noDual: Clip = { low: 0.2, high: 0.2, dual: null };

/** The tensor PPO loss of tokens (logp, logp_old = 0, A), as plain numbers. */
function ppo(logp: number[], advantages: number[], clip: Clip): { loss: number[]; clipped: boolean[] } {
  return tf.tidy(() => {
    const out = ppoTokenLoss(tf.tensor1d(logp), tf.zeros([logp.length]), tf.tensor1d(advantages), clip);
    return { loss: Array.from(out.loss.dataSync()), clipped: Array.from(out.clipped.dataSync(), (c) => c === 1) };
  });
}

/** Expects the tensor loss and the float64 reference to agree with each other and with `expected`. */
function expectPpo(logp: number[], advantages: number[], clip: Clip, expected: { loss: number[]; clipped: boolean[] }): void {
  const got = ppo(logp, advantages, clip);
  const reference = logp.map((lp, t) => referencePpoToken(lp, 0, advantages[t]!, clip));
  expected.loss.forEach((loss, t) => {
    expect(got.loss[t]).toBeCloseTo(loss, 5);
    expect(reference[t]!.loss).toBeCloseTo(loss, 12);
  });
  expect(got.clipped).toEqual(expected.clipped);
  expect(reference.map((r) => r.clipped)).toEqual(expected.clipped);
}

for (const device of ["cpu", "wasm"] as const) {
  describe(`the loss terms on ${device}`, () => {
    it("PPO clips the ratio to [1 - low, 1 + high] on the side that would let the update grow", async () => {
      await selectBackend(device);
      // (A, rho) with eps 0.2 / 0.2, the ratio clipped to [0.8, 1.2]:
      // (1, 1.5) -> max(-1.5, -1.2) = -1.2, clipped; (1, 0.5) -> max(-0.5, -0.8) = -0.5;
      // (-1, 1.5) -> max(1.5, 1.2) = 1.5; (-1, 0.5) -> max(0.5, 0.8) = 0.8, clipped
      const logp = [Math.log(1.5), Math.log(0.5), Math.log(1.5), Math.log(0.5)];
      expectPpo(logp, [1, 1, -1, -1], noDual, { loss: [-1.2, -0.5, 1.5, 0.8], clipped: [true, false, false, true] });
    });

    it("PPO clips above at 1 + high (clip-higher)", async () => {
      await selectBackend(device);
      // rho 1.25, A = 1: max(-1.25, -min(1.25, 1.28)) = -1.25 with high 0.28; max(-1.25, -1.2) = -1.2 with 0.2
      expectPpo([Math.log(1.25)], [1], { ...noDual, high: 0.28 }, { loss: [-1.25], clipped: [false] });
      expectPpo([Math.log(1.25)], [1], noDual, { loss: [-1.2], clipped: [true] });
    });

    it("PPO's dual clip caps the loss at -A c only where A < 0", async () => {
      await selectBackend(device);
      // rho 10: A = -2 -> max(20, 2.4) = 20, capped at 2 * 3 = 6; A = 2 -> max(-20, -2.4) = -2.4, no cap
      const dual: Clip = { ...noDual, dual: 3 };
      expectPpo([Math.log(10), Math.log(10)], [-2, 2], dual, { loss: [6, -2.4], clipped: [false, true] });
      expectPpo([Math.log(10)], [-2], noDual, { loss: [20], clipped: [false] });
    });

    it("PPO clamps the log-ratio to [-20, 20] before exp", async () => {
      await selectBackend(device);
      expect(referenceRatio(Math.log(1.5), 0)).toBeCloseTo(1.5, 12);
      expect(referenceRatio(100, 0)).toBe(Math.exp(20));
      expect(referenceRatio(0, 100)).toBe(Math.exp(-20));
      // A = -1, logp - logp_old = 100: the unclipped branch is rho = e^20, not e^100 = Infinity
      const [loss] = ppo([100], [-1], noDual).loss;
      expect(loss! / Math.exp(20)).toBeCloseTo(1, 5);
    });

    it("PPO weighted by the aggregation's weights gives the aggregated loss", async () => {
      await selectBackend(device);
      // tokens (A, rho): (1, 1.5) -> -1.2; (1, 0.5) -> -0.5; (-1, 5) -> 5, capped to 3 by the dual
      // clip; (-1, 0.5) -> 0.8; row 1's token is masked and row 2 is dropped: both weigh 0.
      // token_mean (-1.2 - 0.5 + 3 + 0.8) / 4 = 0.525
      const r = { ...rolloutsFromSteps(3, [[4], [1], [1]], [[1, 1, 1, 1], [0], [1]]), kept: Uint8Array.from([1, 1, 0]) };
      const logp = [Math.log(1.5), Math.log(0.5), Math.log(5), Math.log(0.5), Math.log(1.5), Math.log(1.5)];
      const advantages = [1, 1, -1, -1, 1, 1];
      const dual: Clip = { ...noDual, dual: 3 };
      const weights = aggregationWeights(r, { mode: "token_mean" });
      const loss = tf.tidy(() => weightedSum(ppoTokenLoss(tf.tensor1d(logp), tf.zeros([6]), tf.tensor1d(advantages), dual).loss, tf.tensor1d(weights)).dataSync()[0]);
      expect(loss).toBeCloseTo(0.525, 5);
      const reference = logp.reduce((sum, lp, t) => sum + weights[t]! * referencePpoToken(lp, 0, advantages[t]!, dual).loss, 0);
      expect(reference).toBeCloseTo(0.525, 6);
    });

    it("match the references on clipped, dual-clipped and unclipped tokens alike", async () => {
      await selectBackend(device);
      const logp = [-0.1, -2, -0.5, -3, -0.01, -1];
      const old = [-0.5, -1, -0.5, -0.2, -2, -1.2];
      const adv = [1, 1, -1, -2, 2, -0.5];
      const clip: Clip = { low: 0.2, high: 0.28, dual: 3 };
      const got = tf.tidy(() => ppoTokenLoss(tf.tensor1d(logp), tf.tensor1d(old), tf.tensor1d(adv), clip).loss.dataSync().slice());
      logp.forEach((lp, i) => expect(got[i]).toBeCloseTo(referencePpoToken(lp, old[i]!, adv[i]!, clip).loss, 5));
      const kl = tf.tidy(() => klTokens(tf.tensor1d(logp), tf.tensor1d(old), "k3").dataSync().slice());
      logp.forEach((lp, i) => expect(kl[i]).toBeCloseTo(k3(lp, old[i]!), 5));
      const sft = tf.tidy(() => sftTokenLoss(tf.tensor1d(logp), true).dataSync().slice());
      logp.forEach((lp, i) => expect(sft[i]).toBeCloseTo(referenceSftTokenLoss(lp, true), 5));
    });

    it("CHORD's SFT term is -logp p (1 - p) with phi and -logp without", async () => {
      await selectBackend(device);
      // p = 0.5: ln 2 * 0.25 with phi, ln 2 without; p = 0.2: phi = 0.16; p = 1: phi = 0, a token
      // the policy is sure of teaches nothing
      const logp = f32([Math.log(0.5), Math.log(0.2), 0]);
      const withPhi = [Math.LN2 * 0.25, -Math.log(0.2) * 0.16, 0];
      const withoutPhi = [Math.LN2, -Math.log(0.2), 0];
      for (const [phi, expected] of [[true, withPhi], [false, withoutPhi]] as const) {
        const got = tf.tidy(() => Array.from(sftTokenLoss(tf.tensor1d(logp), phi).dataSync()));
        expected.forEach((loss, t) => {
          expect(got[t]).toBeCloseTo(loss, 6);
          expect(referenceSftTokenLoss(logp[t]!, phi)).toBeCloseTo(loss, 6);
        });
      }
    });

    it("CHORD's phi weight passes no gradient", async () => {
      await selectBackend(device);
      // d/dlogp of -logp * sg[p(1-p)] is -p(1-p), not the full derivative
      const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(sftTokenLoss(x, true)))(tf.tensor1d([-0.7])).dataSync()[0]);
      const p = Math.exp(-0.7);
      expect(g).toBeCloseTo(-p * (1 - p), 5);
    });
  });
}

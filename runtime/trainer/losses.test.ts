import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { aggregationWeights } from "../ops/aggregate.js";
import { k3 } from "../ops/kl.js";
import { rolloutsFromSteps } from "../ops/testing.js";
import { selectBackend } from "./backend.js";
import { referenceSftTokenLoss } from "./chord.reference.js";
import { klTokens, ppoTokenLoss, sftTokenLoss, weightedSum, type Clip } from "./losses.js";
import { referencePpoToken, referenceRatio } from "./ppo.reference.js";

const noDual: Clip = { low: 0.2, high: 0.2, dual: null };

/** A token with logp_old = 0, so its ratio is exp(logp). */
interface Token {
  readonly logp: number;
  readonly advantage: number;
}

/** The tensor PPO loss of `tokens`, per token. */
function ppo(tokens: readonly Token[], clip: Clip): { loss: number; clipped: boolean }[] {
  return tf.tidy(() => {
    const logp = tf.tensor1d(tokens.map((t) => t.logp));
    const out = ppoTokenLoss(logp, tf.zerosLike(logp), tf.tensor1d(tokens.map((t) => t.advantage)), clip);
    const clipped = out.clipped.dataSync();
    return Array.from(out.loss.dataSync(), (loss, t) => ({ loss, clipped: clipped[t] === 1 }));
  });
}

/** Expects the tensor loss and the float64 reference both to give each token its expected loss and clip flag. */
function expectPpo(tokens: readonly (Token & { loss: number; clipped: boolean })[], clip: Clip): void {
  const got = ppo(tokens, clip);
  tokens.forEach((token, t) => {
    const reference = referencePpoToken(token.logp, 0, token.advantage, clip);
    expect(got[t]?.loss).toBeCloseTo(token.loss, 5);
    expect(reference.loss).toBeCloseTo(token.loss, 12);
    expect([got[t]?.clipped, reference.clipped]).toEqual([token.clipped, token.clipped]);
  });
}

for (const device of ["cpu", "wasm"] as const) {
  describe(`the loss terms on ${device}`, () => {
    it("PPO clips the ratio to [1 - low, 1 + high] on the side that would let the update grow", async () => {
      await selectBackend(device);
      // (A, rho) with eps 0.2 / 0.2, the ratio clipped to [0.8, 1.2]:
      // (1, 1.5) -> max(-1.5, -1.2) = -1.2, clipped; (1, 0.5) -> max(-0.5, -0.8) = -0.5;
      // (-1, 1.5) -> max(1.5, 1.2) = 1.5; (-1, 0.5) -> max(0.5, 0.8) = 0.8, clipped
      expectPpo(
        [
          { logp: Math.log(1.5), advantage: 1, loss: -1.2, clipped: true },
          { logp: Math.log(0.5), advantage: 1, loss: -0.5, clipped: false },
          { logp: Math.log(1.5), advantage: -1, loss: 1.5, clipped: false },
          { logp: Math.log(0.5), advantage: -1, loss: 0.8, clipped: true },
        ],
        noDual,
      );
    });

    it("PPO clips above at 1 + high (clip-higher)", async () => {
      await selectBackend(device);
      // rho 1.25, A = 1: max(-1.25, -min(1.25, 1.28)) = -1.25 with high 0.28; max(-1.25, -1.2) = -1.2 with 0.2
      expectPpo([{ logp: Math.log(1.25), advantage: 1, loss: -1.25, clipped: false }], { ...noDual, high: 0.28 });
      expectPpo([{ logp: Math.log(1.25), advantage: 1, loss: -1.2, clipped: true }], noDual);
    });

    it("PPO's dual clip caps the loss at -A c only where A < 0", async () => {
      await selectBackend(device);
      // rho 10: A = -2 -> max(20, 2.4) = 20, capped at 2 * 3 = 6; A = 2 -> max(-20, -2.4) = -2.4, no cap
      const dual: Clip = { ...noDual, dual: 3 };
      expectPpo(
        [
          { logp: Math.log(10), advantage: -2, loss: 6, clipped: false },
          { logp: Math.log(10), advantage: 2, loss: -2.4, clipped: true },
        ],
        dual,
      );
      expectPpo([{ logp: Math.log(10), advantage: -2, loss: 20, clipped: false }], noDual);
    });

    it("PPO clamps the log-ratio to [-20, 20] before exp", async () => {
      await selectBackend(device);
      expect(referenceRatio(Math.log(1.5), 0)).toBeCloseTo(1.5, 12);
      expect(referenceRatio(100, 0)).toBe(Math.exp(20));
      expect(referenceRatio(0, 100)).toBe(Math.exp(-20));
      // A = -1, logp - logp_old = 100: the unclipped branch is rho = e^20, not e^100 = Infinity
      const [token] = ppo([{ logp: 100, advantage: -1 }], noDual);
      expect((token?.loss ?? NaN) / Math.exp(20)).toBeCloseTo(1, 5);
    });

    it("PPO weighted by the aggregation's weights gives the aggregated loss", async () => {
      await selectBackend(device);
      // tokens (A, rho): (1, 1.5) -> -1.2; (1, 0.5) -> -0.5; (-1, 5) -> 5, capped to 3 by the dual
      // clip; (-1, 0.5) -> 0.8; row 1's token is masked and row 2 is dropped: both weigh 0.
      // token_mean (-1.2 - 0.5 + 3 + 0.8) / 4 = 0.525
      const r = { ...rolloutsFromSteps(3, [[4], [1], [1]], [[1, 1, 1, 1], [0], [1]]), kept: Uint8Array.from([1, 1, 0]) };
      const tokens: Token[] = [
        { logp: Math.log(1.5), advantage: 1 },
        { logp: Math.log(0.5), advantage: 1 },
        { logp: Math.log(5), advantage: -1 },
        { logp: Math.log(0.5), advantage: -1 },
        { logp: Math.log(1.5), advantage: 1 },
        { logp: Math.log(1.5), advantage: 1 },
      ];
      const dual: Clip = { ...noDual, dual: 3 };
      const weights = aggregationWeights(r, { mode: "token_mean" });
      const loss = tf.tidy(() => {
        const logp = tf.tensor1d(tokens.map((t) => t.logp));
        const perToken = ppoTokenLoss(logp, tf.zerosLike(logp), tf.tensor1d(tokens.map((t) => t.advantage)), dual).loss;
        return weightedSum(perToken, tf.tensor1d(weights)).dataSync()[0];
      });
      expect(loss).toBeCloseTo(0.525, 5);
      const reference = tokens.map((t) => referencePpoToken(t.logp, 0, t.advantage, dual).loss);
      expect(reference.reduce((sum, loss, t) => sum + (weights[t] ?? NaN) * loss, 0)).toBeCloseTo(0.525, 6);
    });

    it("match the references on clipped, dual-clipped and unclipped tokens alike", async () => {
      await selectBackend(device);
      const tokens = [
        { logp: -0.1, old: -0.5, advantage: 1 },
        { logp: -2, old: -1, advantage: 1 },
        { logp: -0.5, old: -0.5, advantage: -1 },
        { logp: -3, old: -0.2, advantage: -2 },
        { logp: -0.01, old: -2, advantage: 2 },
        { logp: -1, old: -1.2, advantage: -0.5 },
      ];
      const clip: Clip = { low: 0.2, high: 0.28, dual: 3 };
      const logp = tokens.map((t) => t.logp);
      const old = tokens.map((t) => t.old);
      const loss = tf.tidy(() =>
        ppoTokenLoss(tf.tensor1d(logp), tf.tensor1d(old), tf.tensor1d(tokens.map((t) => t.advantage)), clip)
          .loss.dataSync()
          .slice(),
      );
      const kl = tf.tidy(() => klTokens(tf.tensor1d(logp), tf.tensor1d(old), "k3").dataSync().slice());
      const sft = tf.tidy(() => sftTokenLoss(tf.tensor1d(logp), true).dataSync().slice());
      tokens.forEach((t, i) => {
        expect(loss[i]).toBeCloseTo(referencePpoToken(t.logp, t.old, t.advantage, clip).loss, 5);
        expect(kl[i]).toBeCloseTo(k3(t.logp, t.old), 5);
        expect(sft[i]).toBeCloseTo(referenceSftTokenLoss(t.logp, true), 5);
      });
    });

    it("CHORD's SFT term is -logp p (1 - p) with phi and -logp without", async () => {
      await selectBackend(device);
      // p = 0.5: ln 2 * 0.25 with phi, ln 2 without; p = 0.2: phi = 0.16; p = 1: phi = 0, a token
      // the policy is sure of teaches nothing
      const tokens = [
        { logp: Math.log(0.5), withPhi: Math.LN2 * 0.25, withoutPhi: Math.LN2 },
        { logp: Math.log(0.2), withPhi: -Math.log(0.2) * 0.16, withoutPhi: -Math.log(0.2) },
        { logp: 0, withPhi: 0, withoutPhi: 0 },
      ];
      for (const phi of [true, false]) {
        const got = tf.tidy(() =>
          sftTokenLoss(tf.tensor1d(tokens.map((t) => t.logp)), phi)
            .dataSync()
            .slice(),
        );
        tokens.forEach((t, i) => {
          const expected = phi ? t.withPhi : t.withoutPhi;
          expect(got[i]).toBeCloseTo(expected, 6);
          expect(referenceSftTokenLoss(t.logp, phi)).toBeCloseTo(expected, 6);
        });
      }
    });

    it("CHORD's phi weight passes no gradient", async () => {
      await selectBackend(device);
      // d/dlogp of -logp * sg[p(1-p)] is -p(1-p), not the full derivative
      const g = tf.tidy(
        () =>
          tf
            .grad((x: tf.Tensor) => tf.sum(sftTokenLoss(x, true)))(tf.tensor1d([-0.7]))
            .dataSync()[0],
      );
      const p = Math.exp(-0.7);
      expect(g).toBeCloseTo(-p * (1 - p), 5);
    });
  });
}

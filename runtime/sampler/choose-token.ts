/**
 * The next token from one row of logits. Engine-free (plain numbers, float64), so every
 * sampler draws the same way and the tests can check it by hand.
 *
 * - temperature 0: greedy, the highest logit, ties to the lowest id; no random draw, so a
 *   greedy run leaves the rng untouched. The distribution sampled from is a point mass, so the
 *   logprob is 0 (the T -> 0 limit of the sampled case).
 * - otherwise: softmax(logits / T), cut to the nucleus (Holtzman et al. 2020: the smallest set
 *   of the most probable tokens whose mass reaches top_p; top_p = 1 keeps every token), and one
 *   uniform draw by inverse CDF over the kept tokens in id order. The logprob is the chosen
 *   token's under that cut and renormalised distribution, the one drawn from. At top_p = 1 it
 *   is log_softmax(logits / T)[id], the log-prob training takes at any top_p (verl's choice:
 *   docs/algorithms.md §1.5).
 */
import type { Rng } from "../ops/rng.js";
import { keepNucleus } from "./nucleus.js";

export interface ChosenToken {
  readonly id: number;
  readonly logprob: number;
}

export function chooseToken(logits: ArrayLike<number>, temperature: number, topP: number, rng: Rng): ChosenToken {
  const n = logits.length;
  if (n === 0) throw new Error("chooseToken: empty logits");
  if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new Error(`chooseToken: temperature ${temperature} is not a finite number >= 0`);
  if (!(topP > 0 && topP <= 1)) throw new Error(`chooseToken: top_p ${topP} is not in (0, 1]`);
  // Every index below is < n = logits.length (probs and kept are n long too), hence the `!`s.
  let best = 0;
  let max = logits[0]!;
  for (let i = 1; i < n; i++) {
    const x = logits[i]!;
    if (x > max) {
      best = i;
      max = x;
    }
  }
  // NaN never wins a comparison, so check the winner and the row for it: a diverged policy must
  // fail loudly, not sample token 0 forever.
  if (!Number.isFinite(max)) throw new Error(`chooseToken: the largest logit is ${max}; the policy's logits are not finite`);
  if (temperature === 0) {
    for (let i = 0; i < n; i++) if (Number.isNaN(logits[i])) throw new Error(`chooseToken: logit ${i} is NaN`);
    return { id: best, logprob: 0 };
  }

  const probs = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = logits[i]!;
    if (Number.isNaN(x)) throw new Error(`chooseToken: logit ${i} is NaN`);
    total += probs[i] = Math.exp((x - max) / temperature);
  }
  for (let i = 0; i < n; i++) probs[i] = probs[i]! / total;

  // kept[i]: token i is in the nucleus. At top_p = 1 every token is, and no sort is needed.
  const kept = new Uint8Array(n);
  let keptMass = 1;
  if (topP < 1) {
    // A hair of tolerance: probabilities summing to exactly top_p in real arithmetic (0.5 +
    // 0.2 for 0.7) must not pull in one more token through float rounding.
    keptMass = keepNucleus(probs, topP - 1e-12, kept);
  } else {
    kept.fill(1);
  }

  let u = rng() * keptMass;
  let id = -1;
  let last = -1;
  for (let i = 0; i < n; i++) {
    // A token of probability 0 (a logit of -inf, or underflow) is never the draw.
    const p = probs[i]!;
    if (!kept[i] || p === 0) continue;
    last = i;
    u -= p;
    if (u < 0) {
      id = i;
      break;
    }
  }
  // Rounding can leave u a hair >= 0 after the last kept token: that token is the draw. (There
  // is one: the largest logit's token has probability > 0 and is the first the nucleus keeps.)
  if (id < 0) id = last;
  // From the logits rather than log(probs[id]): exact even where probs[id] underflows.
  const logprob = (logits[id]! - max) / temperature - Math.log(total) - (topP < 1 ? Math.log(keptMass) : 0);
  return { id, logprob };
}

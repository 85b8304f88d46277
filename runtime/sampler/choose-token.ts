/**
 * The next token from a row of logits, engine-free so every sampler draws the same way:
 * temperature 0 is greedy (the highest logit, ties to the lowest id, no random draw);
 * otherwise softmax(logits / T), cut to the nucleus (the most probable tokens whose mass first
 * reaches top_p; Holtzman et al. 2020), and one uniform draw.
 */
import type { Rng } from "../ops/rng.js";

export function chooseToken(logits: ArrayLike<number>, temperature: number, topP: number, rng: Rng): number {
  const n = logits.length;
  if (temperature <= 0) {
    let best = 0;
    for (let i = 1; i < n; i++) if (logits[i] > logits[best]) best = i;
    return best;
  }
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[i]);
  const probs = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += probs[i] = Math.exp((logits[i] - max) / temperature);
  for (let i = 0; i < n; i++) probs[i] /= total;
  let candidates = Array.from({ length: n }, (_, i) => i);
  if (topP < 1) {
    // Most probable first, ties by id, so the cut is the same on every machine.
    candidates.sort((a, b) => probs[b] - probs[a] || a - b);
    let mass = 0;
    let keep = 0;
    while (keep < n && mass < topP) mass += probs[candidates[keep++]];
    candidates = candidates.slice(0, Math.max(1, keep));
  }
  let kept = 0;
  for (const i of candidates) kept += probs[i];
  let u = rng() * kept;
  for (const i of candidates) {
    u -= probs[i];
    if (u < 0) return i;
  }
  return candidates[candidates.length - 1];
}

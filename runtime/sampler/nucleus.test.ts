import { describe, expect, it } from "vitest";
import { mulberry32 } from "../ops/rng.js";
import { keepNucleus } from "./nucleus.js";

/** The definition, by sorting every token: most probable first, ties by id, until the mass reaches `enough`. */
function sortedNucleus(probs: Float64Array, enough: number): { kept: number[]; mass: number } {
  const order = Array.from(probs, (_, i) => i).sort((a, b) => probs[b]! - probs[a]! || a - b);
  const kept = new Array<number>(probs.length).fill(0);
  let mass = 0;
  for (const i of order) {
    kept[i] = 1;
    mass += probs[i]!;
    if (mass >= enough) break;
  }
  return { kept, mass };
}

/** softmax(logits / T) as chooseToken computes it. */
function softmax(logits: number[], temperature: number): Float64Array {
  const max = Math.max(...logits);
  const probs = Float64Array.from(logits, (x) => Math.exp((x - max) / temperature));
  const total = probs.reduce((s, p) => s + p, 0);
  return probs.map((p) => p / total);
}

describe("keepNucleus", () => {
  it("keeps the tokens, and sums the mass bit for bit, that sorting the whole vocabulary does", () => {
    const rng = mulberry32(5);
    let cases = 0;
    for (const vocab of [3, 24, 257]) {
      for (let trial = 0; trial < 60; trial++) {
        // Logits on a coarse grid make ties; some tokens get probability 0; the temperature
        // ranges from peaked to nearly flat distributions.
        const logits = Array.from({ length: vocab }, () => (rng() < 0.05 ? -Infinity : Math.round(rng() * 40) / 4));
        logits[Math.floor(rng() * vocab)] = 10;
        const probs = softmax(logits, [0.3, 1, 3, 30][trial % 4]!);
        for (const topP of [0.05, 0.5, 0.9, 0.95, 0.999, 1 - 1e-11]) {
          const kept = new Uint8Array(vocab);
          const mass = keepNucleus(probs, topP - 1e-12, kept);
          const expected = sortedNucleus(probs, topP - 1e-12);
          expect(Array.from(kept)).toEqual(expected.kept);
          expect(mass).toBe(expected.mass);
          cases++;
        }
      }
    }
    expect(cases).toBe(3 * 60 * 6);
  });

  it("keeps every token when no prefix reaches the mass", () => {
    const probs = softmax([0, 1, 2, 3], 1);
    const kept = new Uint8Array(4);
    expect(keepNucleus(probs, 1.5, kept)).toBe(sortedNucleus(probs, 1.5).mass);
    expect(Array.from(kept)).toEqual([1, 1, 1, 1]);
  });
});

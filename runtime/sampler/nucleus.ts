/**
 * The top_p cut of chooseToken (choose-token.ts): the most probable tokens first, ties by id,
 * kept until their mass reaches top_p. Sorting the whole vocabulary for every draw costs
 * O(V log V) (at the bytes tokenizer's 257 tokens, about five times the rest of the draw), so
 * only the tokens that can be in the nucleus are sorted: every token at least as probable as a
 * threshold `t`, which is a prefix of the full order (a token left out is less probable than
 * every one kept, ties included), so the masses add up in the same order, bit for bit, and the
 * cut is the one a full sort gives. Should that prefix not reach top_p after all, the full order
 * is taken.
 */

/** Probability bands by powers of two below the largest: a token's band is where `t` may fall. */
const BANDS = 64;
/**
 * Extra mass asked of the prefix before it is tried: the band sums, added in id order, may round
 * differently from the sorted sum by about V · 2^-53, far below this.
 */
const MARGIN = 1e-9;

/**
 * Marks in `kept` (all 0 on entry) the nucleus of `probs` (summing to 1) whose mass reaches
 * `enough`, and returns its mass; when no prefix reaches it, every token is kept.
 */
export function keepNucleus(probs: Float64Array, enough: number, kept: Uint8Array): number {
  const n = probs.length;
  const prefix = likelyNucleus(probs, enough + MARGIN);
  const mass = cut(probs, prefix, enough, kept);
  if (mass >= enough || prefix.length === n) return mass;
  kept.fill(0);
  return cut(probs, allTokens(n), enough, kept);
}

/** Marks the tokens of `order`, most probable first, until their mass reaches `enough` or they run out; returns their mass. */
function cut(probs: Float64Array, order: Uint32Array, enough: number, kept: Uint8Array): number {
  // Most probable first, ties by id, so the cut is the same on every machine.
  order.sort((a, b) => probs[b]! - probs[a]! || a - b);
  let mass = 0;
  for (const i of order) {
    kept[i] = 1;
    mass += probs[i]!;
    if (mass >= enough) break;
  }
  return mass;
}

/** The tokens at least as probable as the lowest band whose mass, with the bands above, reaches `mass`. */
function likelyNucleus(probs: Float64Array, mass: number): Uint32Array {
  const n = probs.length;
  let top = 0;
  for (let i = 0; i < n; i++) top = Math.max(top, probs[i]!);
  const bandMass = new Float64Array(BANDS);
  for (let i = 0; i < n; i++) {
    const p = probs[i]!;
    bandMass[p > 0 ? Math.min(BANDS - 1, Math.floor(Math.log2(top / p))) : BANDS - 1]! += p;
  }
  let sum = 0;
  let band = 0;
  for (; band < BANDS - 1; band++) {
    sum += bandMass[band]!;
    if (sum >= mass) break;
  }
  if (band === BANDS - 1) return allTokens(n);
  // The band's lower edge: every token at or above it, ties with it included.
  const threshold = top * 2 ** -(band + 1);
  let count = 0;
  for (let i = 0; i < n; i++) if (probs[i]! >= threshold) count++;
  const prefix = new Uint32Array(count);
  for (let i = 0, j = 0; i < n; i++) if (probs[i]! >= threshold) prefix[j++] = i;
  return prefix;
}

function allTokens(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}

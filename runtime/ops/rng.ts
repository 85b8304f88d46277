// A tiny seeded PRNG: a run's seed must reproduce its random draws (data order, sampling
// streams) and the property tests theirs, and Math.random cannot be seeded.

/** Uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): one 32-bit state, full 2^32 period, good
 * enough for sampling rows and test data, not for cryptography.
 */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in 0 .. n - 1. */
export function below(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** The items in a random order (Fisher-Yates, from the last position down). */
export function shuffled<T extends {}>(items: readonly T[], rng: Rng): T[] {
  const order = [...items];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const a = order[i];
    const b = order[j];
    // 0 <= j <= i < length: both are items.
    if (a !== undefined && b !== undefined) [order[i], order[j]] = [b, a];
  }
  return order;
}

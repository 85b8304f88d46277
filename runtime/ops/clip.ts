// Value transforms of a reward at any granularity (one value per row, per step or per token),
// applied element by element: the reward's layout does not matter to them.

/**
 * `clip(r, lo, hi)`: every value clamped to [lo, hi]; NaN stays NaN (a broken score must not
 * pass for a bound). docs/language.md §5 "Reward expressions".
 */
export function clip(values: Float32Array, lo: number, hi: number): Float32Array {
  if (!(lo <= hi)) throw new Error(`clip: lo must be <= hi, got ${lo} and ${hi}`);
  const out = new Float32Array(values.length);
  let j = 0;
  for (const x of values) out[j++] = Math.min(Math.max(x, lo), hi);
  return out;
}

/**
 * `threshold(r, t)`: 1 where the value is at least t, else 0 (NaN gives 0), a binary reward
 * for the ops that read an outcome as success (PROF, ReNorm, gate). docs/language.md §5.
 *
 * The values are float32 and t a double: t is compared at float32 precision, so a score of 0.7
 * reaches `threshold(r, 0.7)` although float32 stores it as 0.699999988.
 */
export function threshold(values: Float32Array, t: number): Float32Array {
  const t32 = Math.fround(t);
  const out = new Float32Array(values.length);
  let j = 0;
  for (const x of values) out[j++] = x >= t32 ? 1 : 0;
  return out;
}

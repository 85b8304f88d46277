// Zero-signal groups (docs/algorithms.md §1.10): a group whose responses all got the same
// sequence score (§1.1) teaches a group baseline nothing. group_norm and rloo give every one of
// its responses an advantage of exactly 0, yet the step still pays a forward and a backward
// pass for it. DAPO's dynamic sampling drops such groups; every RL step reports their share.
//
// Scores are compared exactly, as the baselines see them: a group whose scores differ in the
// last bit has a (tiny) signal. A NaN never agrees, so a broken score is not mistaken for an
// uninformative group; the step's guard reports it.

/** Per group of `groupSize` consecutive scores: 1 when they are all equal, else 0. */
export function zeroSignalGroups(scores: Float32Array, groupSize: number): Uint8Array {
  if (!Number.isInteger(groupSize) || groupSize < 1) throw new RangeError(`groupSize must be a positive integer, got ${groupSize}`);
  if (scores.length % groupSize !== 0) throw new Error(`scores: ${scores.length} values do not split into groups of ${groupSize}`);
  const groups = scores.length / groupSize;
  const out = new Uint8Array(groups);
  for (let g = 0; g < groups; g++) {
    const first = scores[g * groupSize] ?? 0;
    let agree = !Number.isNaN(first);
    for (let i = 1; i < groupSize && agree; i++) agree = scores[g * groupSize + i] === first;
    out[g] = agree ? 1 : 0;
  }
  return out;
}

/** The share of groups flagged in `zeroSignal` (0 for no groups). */
export function zeroSignalFraction(zeroSignal: Uint8Array): number {
  let n = 0;
  for (const z of zeroSignal) n += z;
  return zeroSignal.length > 0 ? n / zeroSignal.length : 0;
}

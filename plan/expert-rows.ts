/**
 * How a CHORD step splits its batch: ceil(ratio * batch) expert rows, the other prompt slots
 * sampled (docs/algorithms.md §2, as Trinity-RFT splits it). The runtime trains on this split
 * and the exports configure the engines with it, so it is one function.
 */

/** Fractions such as 20% come in as 0.2; 0.1 * 30 is 3.0000000000000004 in floating point. */
const ROW_TOLERANCE = 1e-9;

/** Expert rows per step, ceil(ratio * batch), with a 1e-9 tolerance so 10% of 30 rows is 3, not 4. */
export function expertRowCount(ratio: number, batch: number): number {
  if (!(ratio >= 0 && ratio <= 1) || !Number.isInteger(batch) || batch < 0) {
    throw new Error(`chord: ratio must be in [0, 1] and batch a non-negative integer, got ${ratio} and ${batch}`);
  }
  return Math.max(0, Math.ceil(ratio * batch - ROW_TOLERANCE));
}

/** The expert rows of a step of `batch` prompt slots, leaving at least one slot sampled so the RL loss has rows. */
export function chordExpertRows(ratio: number, batch: number): number {
  return Math.min(expertRowCount(ratio, batch), batch - 1);
}

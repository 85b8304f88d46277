// PROF: keep the responses whose process scores agree with their outcome (correct answers
// with good steps, wrong answers with poor steps) and drop the inconsistent ones, while keeping
// the group's correct/incorrect balance. A data-curation filter: it never changes a reward.

import { requireBinary, requireLength, rowCount, type Rollouts } from "./batch.js";

export interface ProfOptions {
  /** Rows to remove per group (r = min(remove, kept rows)). */
  readonly remove: number;
  /** lambda_len, subtracted from the critic of a row whose step count is out of bounds. */
  readonly lengthPenalty: number;
  /** Inclusive [lo, hi] step counts that escape the length penalty. */
  readonly stepBounds: readonly [number, number];
}

export interface ProfResult {
  readonly kept: Uint8Array;
  /** Per row critic_i = c_i - lambda_len [K_i out of bounds]; 0 for rows already dropped. */
  readonly critic: Float64Array;
  /** m, the mean of all valid process scores of the batch. */
  readonly mean: number;
}

/**
 * Process-consistency critic per row: c_i = (1/K_i) sum_k 2 (v_ik - m)(2 y_i - 1) with m the
 * batch mean of all step scores of the kept rows (c_i = 0 when K_i = 0), minus lambda_len
 * when K_i is outside step_bounds. Ye et al. 2025, "Beyond Correctness: Harmonizing Process
 * and Outcome Rewards through RL Training" (PROF), Algorithm 1, consistency score.
 * docs/algorithms.md §3.
 */
export function profCritic(
  outcome: Float32Array,
  process: Float32Array,
  r: Rollouts,
  lengthPenalty: number,
  stepBounds: readonly [number, number],
): { critic: Float64Array; mean: number } {
  const n = rowCount(r);
  requireLength(outcome, n, "PROF outcome");
  requireLength(process, r.stepEnds.length, "PROF process scores");
  requireBinary(outcome, "PROF");
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!r.kept[i]) continue;
    const s0 = r.stepOffsets[i] ?? 0;
    const s1 = r.stepOffsets[i + 1] ?? 0;
    for (let s = s0; s < s1; s++) sum += process[s] ?? 0;
    count += s1 - s0;
  }
  const mean = count > 0 ? sum / count : 0;
  if (!Number.isFinite(mean)) throw new Error("PROF: the process scores contain a NaN or an infinity");
  const [lo, hi] = stepBounds;
  const critic = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!r.kept[i]) continue;
    const s0 = r.stepOffsets[i] ?? 0;
    const s1 = r.stepOffsets[i + 1] ?? 0;
    const steps = s1 - s0;
    const sign = 2 * (outcome[i] ?? 0) - 1;
    let c = 0;
    for (let s = s0; s < s1; s++) c += 2 * ((process[s] ?? 0) - mean) * sign;
    critic[i] = (steps > 0 ? c / steps : 0) - (steps < lo || steps > hi ? lengthPenalty : 0);
  }
  return { critic, mean };
}

/**
 * The PROF filter. Per group, with P = kept correct rows, N = kept incorrect rows,
 * D = |P| - |N| and r = min(remove, |P| + |N|): r_P = min(r, round_half_even((D + r) / 2));
 * if r_P > 0 drop the min(r_P, |P|) lowest-critic rows of P and then the remaining
 * lowest-critic rows of N, else the min(r, |N|) lowest-critic rows of N. Ties keep group order
 * (stable sort). Ye et al. 2025, "Beyond Correctness" (PROF),
 * Algorithm 1. docs/algorithms.md §3.
 */
export function profFilter(outcome: Float32Array, process: Float32Array, r: Rollouts, options: ProfOptions): ProfResult {
  if (!Number.isInteger(options.remove) || options.remove < 0) {
    throw new Error(`PROF: remove must be a non-negative integer, got ${options.remove}`);
  }
  const { critic, mean } = profCritic(outcome, process, r, options.lengthPenalty, options.stepBounds);
  const kept = Uint8Array.from(r.kept);
  const G = r.groupSize;
  const correct = new Int32Array(G);
  const incorrect = new Int32Array(G);
  for (let g = 0; g < r.groups; g++) {
    let p = 0;
    let q = 0;
    for (let i = g * G; i < (g + 1) * G; i++) {
      if (!kept[i]) continue;
      if (outcome[i] === 1) correct[p++] = i;
      else incorrect[q++] = i;
    }
    const remove = Math.min(options.remove, p + q);
    const removeCorrect = Math.min(remove, roundHalfEven((p - q + remove) / 2));
    const dropCorrect = removeCorrect > 0 ? Math.min(removeCorrect, p) : 0;
    const dropIncorrect = Math.min(remove - dropCorrect, q);
    sortByCritic(correct, p, critic);
    sortByCritic(incorrect, q, critic);
    for (const row of correct.subarray(0, dropCorrect)) kept[row] = 0;
    for (const row of incorrect.subarray(0, dropIncorrect)) kept[row] = 0;
  }
  return { kept, critic, mean };
}

/**
 * Per row: 1 when the row is kept and every kept row of its group has the same outcome. PROF
 * gives such groups (all correct or all incorrect after filtering) A = 0, since nothing is
 * left to compare. Ye et al. 2025, "Beyond Correctness" (PROF). docs/algorithms.md §3.
 */
export function oneSidedRows(outcome: Float32Array, r: Rollouts): Uint8Array {
  requireLength(outcome, rowCount(r), "outcome");
  const G = r.groupSize;
  const out = new Uint8Array(rowCount(r));
  for (let g = 0; g < r.groups; g++) {
    let keptRows = 0;
    let correct = 0;
    for (let i = g * G; i < (g + 1) * G; i++) {
      if (!r.kept[i]) continue;
      keptRows++;
      if (outcome[i] === 1) correct++;
    }
    if (correct !== 0 && correct !== keptRows) continue;
    out.set(r.kept.subarray(g * G, (g + 1) * G), g * G);
  }
  return out;
}

/** Python's round(): halves go to the even neighbour, as the reference computes r_P. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

// Insertion sort of rows[0, length) by ascending critic: stable (ties keep group order, as the
// reference's stable sort) and allocation-free; groups are small.
function sortByCritic(rows: Int32Array, length: number, critic: Float64Array): void {
  for (let j = 1; j < length; j++) {
    const row = rows[j] ?? 0;
    const key = critic[row] ?? 0;
    let k = j - 1;
    for (; k >= 0; k--) {
      const other = rows[k] ?? 0;
      if (!((critic[other] ?? 0) > key)) break;
      rows[k + 1] = other;
    }
    rows[k + 1] = row;
  }
}

// The ragged layout every op in this folder reads.
//
// One RL step holds B groups of G responses (n = B * G rows; row i belongs to group
// floor(i / G)). Responses are packed end to end in one flat token array with no padding, so a
// per-token quantity is a single Float32Array of length tokenOffsets[n] and every op is a plain
// loop over typed arrays:
//
//   tokens of row i:  [tokenOffsets[i], tokenOffsets[i + 1])
//   steps of row i:   [stepOffsets[i], stepOffsets[i + 1])     (global step indices)
//   step s:           flat tokens (stepEnds[s - 1], stepEnds[s]]  (from 0 when s = 0)
//
// stepEnds holds flat token indices, and the steps of all rows, in order, partition the flat
// token array: a non-empty response always ends with a step on its last token, and an empty
// response has no step. A per-step quantity (a process reward) is a Float32Array of length
// stepOffsets[n]; it sits on the step's last token.
//
// The ops check their inputs against this layout before they loop (checkRollouts,
// requireLength), and hand the shared helpers (stats.ts, baseline.ts) only checked arrays, so
// every index a loop reads is in range. The type of an indexed read still includes undefined,
// so the ops write it `a[i] ?? 0`: the fallback never runs, and the loops measured no slower
// than with a bare read.

/** One RL step's rollouts in the ragged layout described at the top of this file. */
export interface Rollouts {
  /** B. */
  readonly groups: number;
  /** G, responses per group. */
  readonly groupSize: number;
  /** Length n + 1, non-decreasing, from 0. */
  readonly tokenOffsets: Int32Array;
  /** Per flat token: 1 where the token is the policy's own and counts, 0 elsewhere. */
  readonly mask: Uint8Array;
  /** Length n + 1, non-decreasing, from 0. */
  readonly stepOffsets: Int32Array;
  /** Per step: flat index of the step's last token. */
  readonly stepEnds: Int32Array;
  /** Per row: 1 while the row is in the step, 0 once a filter dropped it. */
  readonly kept: Uint8Array;
}

/** Flat index of the first token of step s (steps partition the flat token array). */
export function stepStart(r: Rollouts, s: number): number {
  return s === 0 ? 0 : (r.stepEnds[s - 1] ?? 0) + 1;
}

/** Number of rows (B * G). */
export function rowCount(r: Rollouts): number {
  return r.tokenOffsets.length - 1;
}

/**
 * Row `row`'s [start, end) in a flat array laid out by `offsets` (tokenOffsets or stepOffsets).
 * A row outside the offsets is a caller's bug, not an empty row: it throws.
 */
export function rowSpan(offsets: Int32Array, row: number): [start: number, end: number] {
  const start = offsets[row];
  const end = offsets[row + 1];
  if (start === undefined || end === undefined) throw new RangeError(`row ${row} is outside the ${offsets.length - 1} rows of the offsets`);
  return [start, end];
}

/**
 * Step ends (indices of each step's last token, relative to the sequence) of one response,
 * split on `separator` as docs/algorithms.md "Notation" states: a separator closes the step it
 * belongs to, the last step ends at end-of-sequence, a response with no separator is one step
 * and an empty response has none. Two separators in a row make a one-token step: a step
 * reward model scores every separator position, so each one must be a step of its own.
 */
export function splitSteps(tokens: ArrayLike<number>, separator: number): Int32Array {
  const n = tokens.length;
  let count = 0;
  for (let t = 0; t < n; t++) if (tokens[t] === separator || t === n - 1) count++;
  const ends = new Int32Array(count);
  let k = 0;
  for (let t = 0; t < n; t++) if (tokens[t] === separator || t === n - 1) ends[k++] = t;
  return ends;
}

/**
 * Packs sampled responses (row order: group by group) into the ragged layout, all rows kept.
 * `masks[i][t]` (optional, default all ones) marks the response's tokens that count.
 */
export function packRollouts(groupSize: number, responses: readonly ArrayLike<number>[], separator: number, masks?: readonly ArrayLike<number>[]): Rollouts {
  requireGroupSize(groupSize);
  const n = responses.length;
  const rows = responses.map((tokens) => ({ tokens, ends: splitSteps(tokens, separator) }));
  const tokenOffsets = new Int32Array(n + 1);
  const stepOffsets = new Int32Array(n + 1);
  rows.forEach(({ tokens, ends }, i) => {
    tokenOffsets[i + 1] = (tokenOffsets[i] ?? 0) + tokens.length;
    stepOffsets[i + 1] = (stepOffsets[i] ?? 0) + ends.length;
  });
  const mask = new Uint8Array(tokenOffsets[n] ?? 0);
  const stepEnds = new Int32Array(stepOffsets[n] ?? 0);
  let s = 0;
  rows.forEach(({ tokens, ends }, i) => {
    const t0 = tokenOffsets[i] ?? 0;
    const m = masks?.[i];
    if (m !== undefined) requireLength(m, tokens.length, `mask of response ${i}`);
    for (let t = 0; t < tokens.length; t++) mask[t0 + t] = m === undefined ? 1 : m[t] ? 1 : 0;
    for (const end of ends) stepEnds[s++] = t0 + end;
  });
  const rollouts: Rollouts = {
    groups: n / groupSize,
    groupSize,
    tokenOffsets,
    mask,
    stepOffsets,
    stepEnds,
    kept: new Uint8Array(n).fill(1),
  };
  checkRollouts(rollouts);
  return rollouts;
}

/**
 * Throws a clear Error unless `r` satisfies the layout's invariants, so that the ops can loop
 * without bounds checks. O(n + steps).
 */
export function checkRollouts(r: Rollouts): void {
  requireGroupSize(r.groupSize);
  const n = rowCount(r);
  if (n < 0 || r.stepOffsets.length !== n + 1) {
    throw new Error(`rollouts: tokenOffsets and stepOffsets must both have n + 1 entries`);
  }
  if (!Number.isInteger(r.groups) || n !== r.groups * r.groupSize) {
    throw new Error(`rollouts: ${n} rows is not ${r.groups} groups of ${r.groupSize}`);
  }
  requireLength(r.kept, n, "kept");
  if (r.tokenOffsets[0] !== 0 || r.stepOffsets[0] !== 0) {
    throw new Error("rollouts: offsets must start at 0");
  }
  // Both offset arrays have n + 1 entries (checked above): every read below is in range.
  requireLength(r.mask, r.tokenOffsets[n] ?? 0, "mask");
  requireLength(r.stepEnds, r.stepOffsets[n] ?? 0, "stepEnds");
  for (let i = 0; i < n; i++) {
    const t0 = r.tokenOffsets[i] ?? 0;
    const t1 = r.tokenOffsets[i + 1] ?? 0;
    const s0 = r.stepOffsets[i] ?? 0;
    const s1 = r.stepOffsets[i + 1] ?? 0;
    if (t1 < t0 || s1 < s0) throw new Error(`rollouts: offsets decrease at row ${i}`);
    if ((t1 === t0) !== (s1 === s0)) {
      throw new Error(`rollouts: row ${i} has ${t1 - t0} tokens but ${s1 - s0} steps`);
    }
    let previous = t0 - 1;
    for (let s = s0; s < s1; s++) {
      // Offsets are checked one row at a time: a later row whose offset decreases can leave s
      // past the end of stepEnds here.
      const end = r.stepEnds[s];
      if (end === undefined || end <= previous || end >= t1) {
        throw new Error(`rollouts: step ${s - s0} of row ${i} ends outside the row or out of order`);
      }
      previous = end;
    }
    if (s1 > s0 && previous !== t1 - 1) {
      throw new Error(`rollouts: the last step of row ${i} must end at its last token`);
    }
  }
}

/** Throws unless `values` has exactly `expected` entries. */
export function requireLength(values: ArrayLike<unknown>, expected: number, what: string): void {
  if (values.length !== expected) {
    throw new Error(`${what}: expected ${expected} values, got ${values.length}`);
  }
}

/**
 * Throws unless every value is 0 or 1. PROF, ReNorm and the gate read the outcome as a
 * success flag; the checker rejects a non-binary outcome (E3103) and the runtime refuses one
 * rather than silently treating 0.7 as a failure.
 */
export function requireBinary(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== 0 && values[i] !== 1) {
      throw new Error(`${what}: expected a binary outcome (0 or 1), got ${values[i]} at row ${i}`);
    }
  }
}

/**
 * Throws unless per-row `values` and `kept` fill whole groups of `groupSize` rows, for the ops
 * that take per-row arrays without a Rollouts.
 */
export function requireGroups(values: ArrayLike<number>, groupSize: number, kept: Uint8Array): void {
  requireGroupSize(groupSize);
  if (values.length % groupSize !== 0) {
    throw new Error(`${values.length} values do not fill groups of ${groupSize}`);
  }
  requireLength(kept, values.length, "kept");
}

/** Throws on a group size that leaves groups empty (docs/algorithms.md §1: an empty group is an error). */
function requireGroupSize(groupSize: number): void {
  if (!Number.isInteger(groupSize) || groupSize < 1) {
    throw new Error(`empty group: the group size must be a positive integer, got ${groupSize}`);
  }
}

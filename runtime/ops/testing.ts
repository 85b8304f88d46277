// Test support: builds small rollouts from step lengths, so a test reads as its layout.

import { expect } from "vitest";
import { applyBaseline, type RowBaseline } from "./baseline.js";
import { packRollouts, type Rollouts } from "./batch.js";
import { oneValuePerRow } from "./stats.js";

const FILLER = 0;
const SEPARATOR = 1;

/**
 * Rollouts whose row i has steps of stepLengths[i][0], stepLengths[i][1], ... tokens (an empty
 * list is an empty response), built through packRollouts so the tests exercise the real
 * splitting. `masks[i]`, when given, is row i's token mask.
 */
export function rolloutsFromSteps(groupSize: number, stepLengths: readonly (readonly number[])[], masks?: readonly (readonly number[])[]): Rollouts {
  const responses = stepLengths.map((lengths) => {
    const tokens: number[] = [];
    for (const length of lengths) {
      if (!(length >= 1)) throw new Error(`a step has at least one token, got ${length}`);
      for (let t = 1; t < length; t++) tokens.push(FILLER);
      tokens.push(SEPARATOR);
    }
    return tokens;
  });
  return packRollouts(groupSize, responses, SEPARATOR, masks);
}

/** Outcome advantages A_i as the pipeline computes them for outcome credit: `b` applied to one value per row. */
export function outcomeAdvantages(values: Float32Array, b: RowBaseline): Float32Array {
  return applyBaseline(values, oneValuePerRow(values.length), b);
}

/** A Float32Array from numbers. */
export function f32(values: readonly number[]): Float32Array {
  return Float32Array.from(values);
}

/**
 * Matchers for `expect(Array.from(x)).toEqual(approx([...]))`: |actual - expected| <
 * 10^-digits / 2. The ops store float32 (about 7 significant digits), hence 5 by default.
 */
export function approx(expected: readonly number[], digits = 5): unknown[] {
  return expected.map((value) => expect.closeTo(value, digits));
}

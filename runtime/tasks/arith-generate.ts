/**
 * Seeded arithmetic problems (runtime/tasks/README.md). A problem has `depth` operators, drawn
 * uniformly from the depth range; its numbers are 1 to 9, so a tiny model meets few distinct
 * operands. Everything comes from one mulberry32 stream seeded with `seed` and drawn in a fixed
 * order, so the same (count, depth, seed) gives the same problems on every machine, and a
 * smaller count gives a prefix of a larger one.
 */
import { below, mulberry32, type Rng } from "../ops/rng.js";
import { apply, type Expr, type Operator } from "./arith-expr.js";

export const MIN_OPERAND = 1;
export const MAX_OPERAND = 9;
/** No intermediate value exceeds this: four digits keep the numbers a tiny model must learn short. */
export const MAX_VALUE = 9999;
/** A bound on `depth.hi`, so that a typo cannot ask for a problem of a million operators. */
export const MAX_DEPTH = 64;

export interface DepthRange {
  lo: number;
  hi: number;
}

export interface GeneratedProblem {
  expr: Expr;
  /** The value, as generated (the evaluator of arith-expr.ts agrees; the tests check it). */
  value: number;
}

export function generateProblems(count: number, depth: DepthRange, seed: number): GeneratedProblem[] {
  const rng = mulberry32(seed);
  const problems: GeneratedProblem[] = [];
  for (let i = 0; i < count; i++) problems.push(generateProblem(rng, depth.lo + below(rng, depth.hi - depth.lo + 1)));
  return problems;
}

/** A problem of exactly `operators` operators. */
export function generateProblem(rng: Rng, operators: number): GeneratedProblem {
  if (operators === 0) {
    const value = MIN_OPERAND + below(rng, MAX_OPERAND - MIN_OPERAND + 1);
    return { expr: { kind: "num", value }, value };
  }
  // The shape: the other operators split uniformly between the two sides, so problems range
  // from chains like `((7+5)*3)-4` to balanced ones like `(7+5)*(3-4)`.
  const leftOperators = below(rng, operators);
  const left = generateProblem(rng, leftOperators);
  const right = generateProblem(rng, operators - 1 - leftOperators);
  // The operator: uniform among those with a whole, non-negative result within MAX_VALUE.
  // `-` and `/` may take the sides in either order (the larger, or the multiple, goes left), so
  // `-` always qualifies and the choice is never empty; `/` is rarer, since few pairs divide.
  const choices: { op: Operator; swap: boolean; value: number }[] = [];
  for (const op of ["+", "-", "*", "/"] as const) {
    const swap = (op === "-" || op === "/") && !fits(op, left.value, right.value) && fits(op, right.value, left.value);
    const [a, b] = swap ? [right.value, left.value] : [left.value, right.value];
    if (fits(op, a, b)) choices.push({ op, swap, value: Number(apply(op, BigInt(a), BigInt(b))) });
  }
  const choice = choices[below(rng, choices.length)]!;
  const [l, r] = choice.swap ? [right, left] : [left, right];
  return { expr: { kind: "op", op: choice.op, left: l.expr, right: r.expr }, value: choice.value };
}

function fits(op: Operator, a: number, b: number): boolean {
  const value = apply(op, BigInt(a), BigInt(b));
  return value !== undefined && value <= BigInt(MAX_VALUE);
}

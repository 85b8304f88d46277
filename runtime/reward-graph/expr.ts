/**
 * Evaluating a stage's reward expression (docs/language.md §5, "Reward expressions";
 * docs/algorithms.md §0 step 1) over the values of its Score nodes, with the ops of runtime/ops:
 * `+ - * /` and negation element by element (a number broadcasts), `at_end` and `each_step`
 * (lift.ts), `renorm` (§5, renorm.ts), `gate` (§6, gate.ts), `clip` and `threshold` (clip.ts).
 *
 * A value is one Float32Array in the ops' layout of its granularity: one entry per row
 * (outcome), per step (process) or per token (token). Each node's result is stored as float32,
 * as the ops store theirs.
 */
import type { Granularity, RewardExpr } from "../../plan/plan.js";
import { printRewardExpr } from "../../plan/reward-expr.js";
import { rowCount, type Rollouts } from "../ops/batch.js";
import { clip, threshold } from "../ops/clip.js";
import { posteriorGate } from "../ops/gate.js";
import { atEnd, eachStep } from "../ops/lift.js";
import { renorm } from "../ops/renorm.js";
import { BatchError } from "./batch.js";

export interface RewardValue {
  readonly granularity: Granularity;
  readonly values: Float32Array;
}

/** A reward, or a number (a constant of the expression). */
export type Operand = RewardValue | number;

export interface EvalContext {
  /** Steps as the batch splits them: what `at_end`, `each_step`, `renorm` and `gate` read. */
  readonly rollouts: Rollouts;
  /** The value of a Score or Combine node evaluated before. */
  value(node: string): RewardValue;
  /** The values of a reward source scored directly: the leaves of an eval block's expressions. */
  source?(name: string): RewardValue;
  /** How a node is named in messages: a Score node by its reward source. */
  nodeName(node: string): string;
  /** `groups[g].responses[i]` of a row. */
  rowPath(row: number): string;
}

/** The expression's value. */
export function evaluate(expr: RewardExpr, context: EvalContext): Operand {
  const sub = (e: RewardExpr) => evaluate(e, context);
  const reward = (e: RewardExpr, granularity: Granularity, role: string) => need(sub(e), granularity, role, expr, context);
  switch (expr.op) {
    case "value":
      return context.value(expr.node);
    case "reward":
      if (context.source === undefined) throw new Error(`a stage's reward expression reads node values, not the source \`${expr.name}\` (an eval-only leaf)`);
      return context.source(expr.name);
    case "const":
      return expr.value;
    case "+":
    case "-":
    case "*":
    case "/":
      return arithmetic(expr.op, sub(expr.left), sub(expr.right));
    case "neg":
      return map(sub(expr.operand), (x) => -x);
    case "at_end":
    case "each_step": {
      const outcome = reward(expr.reward, "outcome", "its argument");
      const lift = expr.op === "at_end" ? atEnd : eachStep;
      return { granularity: "process", values: lift(outcome, context.rollouts) };
    }
    case "renorm": {
      const process = reward(expr.process, "process", "`process`");
      const outcome = reward(expr.outcome, "outcome", "`outcome`");
      requireBinary(outcome, "ReNorm", expr.outcome, context);
      return { granularity: "process", values: renorm(process, outcome, context.rollouts) };
    }
    case "gate": {
      const process = reward(expr.process, "process", "`process`");
      const on = reward(expr.on, "outcome", "`on`");
      requireBinary(on, "gate", expr.on, context);
      return { granularity: "outcome", values: posteriorGate(on, process, context.rollouts) };
    }
    case "clip": {
      const value = sub(expr.reward);
      return typeof value === "number" ? Math.min(expr.hi, Math.max(expr.lo, value)) : { ...value, values: clip(value.values, expr.lo, expr.hi) };
    }
    case "threshold": {
      const value = sub(expr.reward);
      return typeof value === "number" ? (value >= expr.t ? 1 : 0) : { ...value, values: threshold(value.values, expr.t) };
    }
  }
}

/**
 * The credited reward split in two: `main`, and the outcome values of the top-level
 * `at_end(...)` terms (reached through `+`, `-`, negation and scaling by a number), which
 * docs/algorithms.md §4 lands on the last step after the min-form weighting (PURE's PRM+VR). For
 * `2 * prm - 1 + at_end(correct)`, main is `2 * prm - 1` and atEnd is `correct`. Sum-form and
 * outcome credit get the same result either way; an `at_end` anywhere else (inside `clip`,
 * say) is part of main.
 */
export function evaluateSplit(expr: RewardExpr, context: EvalContext): { main: RewardValue; atEnd: Float32Array | undefined } {
  const { main, atEnd: end } = split(expr, context);
  if (typeof main !== "number") return { main, atEnd: end };
  if (end === undefined) throw new Error("a reward expression without a reward");
  // Only at_end terms and numbers: a process reward that is the number on every step.
  return { main: { granularity: "process", values: new Float32Array(context.rollouts.stepEnds.length).fill(main) }, atEnd: end };
}

interface Split {
  main: Operand;
  atEnd: Float32Array | undefined;
}

function split(expr: RewardExpr, context: EvalContext): Split {
  switch (expr.op) {
    case "at_end":
      return { main: 0, atEnd: need(evaluate(expr.reward, context), "outcome", "its argument", expr, context) };
    case "+":
    case "-": {
      const left = split(expr.left, context);
      const right = split(expr.right, context);
      return { main: arithmetic(expr.op, left.main, right.main), atEnd: combineAtEnd(expr.op, left.atEnd, right.atEnd) };
    }
    case "neg": {
      const inner = split(expr.operand, context);
      return { main: map(inner.main, (x) => -x), atEnd: inner.atEnd && mapArray(inner.atEnd, (x) => -x) };
    }
    case "*":
    case "/": {
      // Scaling by a number is linear, so it passes through to both parts: `0.5 * at_end(c)`.
      const constant = (e: RewardExpr) => (e.op === "const" ? e.value : undefined);
      const c = constant(expr.right) ?? (expr.op === "*" ? constant(expr.left) : undefined);
      if (c === undefined) break;
      const inner = split(constant(expr.right) !== undefined ? expr.left : expr.right, context);
      const scale = (x: number) => (expr.op === "*" ? x * c : x / c);
      return { main: map(inner.main, scale), atEnd: inner.atEnd && mapArray(inner.atEnd, scale) };
    }
  }
  return { main: evaluate(expr, context), atEnd: undefined };
}

function combineAtEnd(op: "+" | "-", left: Float32Array | undefined, right: Float32Array | undefined): Float32Array | undefined {
  if (right === undefined) return left;
  if (left === undefined) return op === "+" ? right : mapArray(right, (x) => -x);
  return zip(left, right, op === "+" ? (a, b) => a + b : (a, b) => a - b);
}

function arithmetic(op: "+" | "-" | "*" | "/", left: Operand, right: Operand): Operand {
  const f = OPERATORS[op];
  if (typeof left === "number" && typeof right === "number") return f(left, right);
  if (typeof left === "number") return map(right, (x) => f(left, x));
  if (typeof right === "number") return map(left, (x) => f(x, right));
  if (left.granularity !== right.granularity) {
    throw new Error(`\`${op}\` of a ${left.granularity} and a ${right.granularity} reward (the checker reports this as E2104)`);
  }
  return { granularity: left.granularity, values: zip(left.values, right.values, f) };
}

const OPERATORS = {
  "+": (a: number, b: number) => a + b,
  "-": (a: number, b: number) => a - b,
  "*": (a: number, b: number) => a * b,
  "/": (a: number, b: number) => a / b,
};

function map(value: Operand, f: (x: number) => number): Operand {
  return typeof value === "number" ? f(value) : { granularity: value.granularity, values: mapArray(value.values, f) };
}

function mapArray(values: Float32Array, f: (x: number) => number): Float32Array {
  return values.map((x) => f(x));
}

function zip(a: Float32Array, b: Float32Array, f: (x: number, y: number) => number): Float32Array {
  if (a.length !== b.length) throw new Error(`reward values of one granularity differ in length: ${a.length} and ${b.length}`);
  // Equal lengths: every b[j] is a value; NaN would be the arithmetic of a missing one.
  return a.map((x, j) => f(x, b[j] ?? NaN));
}

function need(value: Operand, granularity: Granularity, role: string, expr: RewardExpr, context: EvalContext): Float32Array {
  if (typeof value === "number" || value.granularity !== granularity) {
    const found = typeof value === "number" ? "a number" : `a ${value.granularity} reward`;
    throw new Error(`${role} of \`${describe(expr, context)}\` is ${found}, expected a ${granularity} reward (the checker guarantees this)`);
  }
  return value.values;
}

// The ops refuse a non-binary outcome with its row index; here the message names the
// response and the expression, since the values usually come from the batch.
function requireBinary(values: Float32Array, op: string, expr: RewardExpr, context: EvalContext): void {
  const n = rowCount(context.rollouts);
  for (let i = 0; i < n; i++) {
    if (values[i] !== 0 && values[i] !== 1) {
      throw new BatchError(`${context.rowPath(i)}: ${op} needs a binary outcome (0 or 1), and \`${describe(expr, context)}\` is ${values[i]} here`);
    }
  }
}

/** The expression as the recipe would write it, a node named by its source (for messages). */
function describe(expr: RewardExpr, context: Pick<EvalContext, "nodeName">): string {
  return printRewardExpr(expr, (leaf) => (leaf.op === "value" ? context.nodeName(leaf.node) : leaf.name));
}

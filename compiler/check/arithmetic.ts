/**
 * `+ - * /` and unary minus: constant folding for numbers, and value-range tracking for rewards
 * (docs/language.md §5: `2 * prm - 1` has range [-1, 1] when prm is in [0, 1]). Rewards of
 * different granularities never combine without a lift (E2104).
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { joinSpans, type Span } from "../../diagnostics/span.js";
import type { BinaryOp } from "../../grammar/ast.js";
import { isNumeric, showType, T } from "../types.js";
import type { Checked, RewardRange } from "../values.js";
import { withinDepth } from "./depth.js";

type Arithmetic = "+" | "-" | "*" | "/";

export function isArithmetic(op: BinaryOp): op is Arithmetic {
  return op === "+" || op === "-" || op === "*" || op === "/";
}

function numberOf(value: Checked): number | undefined {
  return value.constant?.kind === "number" ? value.constant.value : undefined;
}

function foldNumbers(op: Arithmetic, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
  }
}

/** The range of `x op c` (or `c op x` when `constantFirst`), for x in [lo, hi]. */
function scaleRange(range: RewardRange, op: Arithmetic, c: number, constantFirst: boolean): RewardRange {
  const ends = [range.lo, range.hi].map((x) => (constantFirst ? foldNumbers(op, c, x) : foldNumbers(op, x, c)));
  return { lo: Math.min(...ends), hi: Math.max(...ends), binary: range.binary };
}

/**
 * A reward whose range is not known: a reward built-in applied to an argument whose mistake was
 * already reported (`at_end(corect)`). It is as good as Unknown here.
 */
function unsettled(value: Checked): boolean {
  return value.type.kind === "Unknown" || (value.type.kind === "Reward" && value.reward === undefined);
}

export function arithmetic(op: Arithmetic, left: Checked, right: Checked, span: Span, report: (d: Diagnostic) => void): Checked {
  if (unsettled(left) || unsettled(right)) return { type: T.unknown, span };
  if (isNumeric(left.type) && isNumeric(right.type)) {
    const a = numberOf(left);
    const b = numberOf(right);
    const integer = left.type.kind === "Int" && right.type.kind === "Int" && op !== "/";
    const type = integer ? T.int : T.float;
    if (op === "/" && b === 0) {
      report(diagnostic("E2105", { what: "the divisor", reason: "division by zero" }, right.span, { label: "this is 0" }));
      return { type, span };
    }
    return a === undefined || b === undefined ? { type, span } : { type, span, constant: { kind: "number", value: foldNumbers(op, a, b) } };
  }
  const leftReward = left.reward;
  const rightReward = right.reward;
  if (leftReward && rightReward) {
    if (leftReward.granularity !== rightReward.granularity) {
      // The right operand is the one that does not fit what the left one started; both
      // operands carry their own label (one label per span reads cleanly).
      report(
        diagnostic("E2104", { left: leftReward.granularity, right: rightReward.granularity }, right.span, {
          label: `${rightReward.granularity} reward`,
          secondary: [{ span: left.span, message: `${leftReward.granularity} reward` }],
          help: "lift the outcome reward with `at_end(...)` or `each_step(...)`",
        }),
      );
      return { type: T.unknown, span };
    }
    if (op === "+" || op === "-") {
      const lo = op === "+" ? leftReward.lo + rightReward.lo : leftReward.lo - rightReward.hi;
      const hi = op === "+" ? leftReward.hi + rightReward.hi : leftReward.hi - rightReward.lo;
      return rewardValue(op, left, right, { lo, hi, binary: false, granularity: leftReward.granularity }, span, report);
    }
  }
  const c = leftReward ? numberOf(right) : numberOf(left);
  const reward = leftReward ?? rightReward;
  const constantFirst = leftReward === undefined;
  // A reward scaled or shifted by a number: `w * a`, `a * w`, `a + c`, `a - c`, `c - a`, `a / c`.
  if (reward && c !== undefined && !(constantFirst && op === "/")) {
    const range = scaleRange(reward, op, c, constantFirst);
    return rewardValue(op, left, right, { ...range, granularity: reward.granularity }, span, report);
  }
  report(
    diagnostic(
      "E2101",
      { expected: "numbers, or rewards with numbers", found: `${showType(left.type)} ${op} ${showType(right.type)}` },
      joinSpans(left.span, right.span),
      {
        label: "these cannot be combined",
      },
    ),
  );
  return { type: T.unknown, span };
}

/** A combined reward; the operator is recorded as a call so lowering sees the expression tree. */
function rewardValue(
  op: Arithmetic,
  left: Checked,
  right: Checked,
  reward: NonNullable<Checked["reward"]>,
  span: Span,
  report: (d: Diagnostic) => void,
): Checked {
  const args = new Map([
    ["left", left],
    ["right", right],
  ]);
  return withinDepth({ type: T.reward(reward.granularity), span, reward, call: { builtin: op, args } }, report);
}

export function negate(operand: Checked, span: Span, report: (d: Diagnostic) => void): Checked {
  if (unsettled(operand)) return { type: T.unknown, span };
  if (isNumeric(operand.type)) {
    const n = numberOf(operand);
    const type = operand.type.kind === "Int" ? T.int : T.float;
    return n === undefined ? { type, span } : { type, span, constant: { kind: "number", value: -n } };
  }
  if (operand.reward) {
    const { lo, hi, binary, granularity } = operand.reward;
    const call = { builtin: "neg", args: new Map([["operand", operand]]) };
    return withinDepth({ type: operand.type, span, reward: { lo: -hi, hi: -lo, binary, granularity }, call }, report);
  }
  report(diagnostic("E2101", { expected: "a number or a reward", found: showType(operand.type) }, operand.span, { label: "cannot be negated" }));
  return { type: T.unknown, span };
}

/**
 * Walking a plan's reward expression: its leaves, its operands, renaming and replacing its value
 * leaves, and printing it back as a recipe would write it (for labels and for `roux import`).
 */
import type { RewardExpr } from "./plan.js";

export type Leaf = Extract<RewardExpr, { op: "value" | "reward" | "const" }>;

/** Every leaf of the expression, left to right. */
export function leavesOf(expr: RewardExpr): Leaf[] {
  if (expr.op === "value" || expr.op === "reward" || expr.op === "const") return [expr];
  return children(expr).flatMap(leavesOf);
}

/** The nodes a graph expression reads, in order of first use. */
export function valueNodes(expr: RewardExpr): string[] {
  return [...new Set(leavesOf(expr).flatMap((leaf) => (leaf.op === "value" ? [leaf.node] : [])))];
}

/** The expression and every expression inside it, outermost first. */
export function subexpressions(expr: RewardExpr): RewardExpr[] {
  return [expr, ...children(expr).flatMap(subexpressions)];
}

/** The operands of an operator, in order; none for a leaf. */
export function children(expr: RewardExpr): RewardExpr[] {
  switch (expr.op) {
    case "value":
    case "reward":
    case "const":
      return [];
    case "+":
    case "-":
    case "*":
    case "/":
      return [expr.left, expr.right];
    case "neg":
      return [expr.operand];
    case "at_end":
    case "each_step":
    case "clip":
    case "threshold":
      return [expr.reward];
    case "renorm":
      return [expr.process, expr.outcome];
    case "gate":
      return [expr.process, expr.on];
  }
}

/** The same expression with every `value` leaf's node renamed (the sharing pass merges nodes). */
export function renameNodes(expr: RewardExpr, rename: (node: string) => string): RewardExpr {
  return mapValues(expr, (leaf) => ({ op: "value", node: rename(leaf.node) }));
}

/** The same expression with every `value` leaf replaced. */
export function mapValues(expr: RewardExpr, replace: (leaf: Extract<RewardExpr, { op: "value" }>) => RewardExpr): RewardExpr {
  const r = (e: RewardExpr) => mapValues(e, replace);
  switch (expr.op) {
    case "value":
      return replace(expr);
    case "reward":
    case "const":
      return expr;
    case "+":
    case "-":
    case "*":
    case "/":
      return { ...expr, left: r(expr.left), right: r(expr.right) };
    case "neg":
      return { ...expr, operand: r(expr.operand) };
    case "at_end":
    case "each_step":
    case "clip":
    case "threshold":
      return { ...expr, reward: r(expr.reward) };
    case "renorm":
      return { ...expr, process: r(expr.process), outcome: r(expr.outcome) };
    case "gate":
      return { ...expr, process: r(expr.process), on: r(expr.on) };
  }
}

const PRECEDENCE: Partial<Record<RewardExpr["op"], number>> = { "+": 1, "-": 1, "*": 2, "/": 2, neg: 3 };

/** The expression as a recipe would write it; `leaf` names `value` and `reward` leaves. */
export function printRewardExpr(expr: RewardExpr, leaf: (expr: Extract<RewardExpr, { op: "value" | "reward" }>) => string): string {
  const p = (e: RewardExpr) => printRewardExpr(e, leaf);
  const precedence = PRECEDENCE[expr.op] ?? 4;
  // Parenthesise a lower-binding child, and an equal one on the right of `-` and `/`.
  const wrap = (child: RewardExpr, right = false) => {
    const c = PRECEDENCE[child.op] ?? 4;
    return c < precedence || (right && c === precedence && (expr.op === "-" || expr.op === "/")) ? `(${p(child)})` : p(child);
  };
  switch (expr.op) {
    case "value":
    case "reward":
      return leaf(expr);
    case "const":
      return String(expr.value);
    case "+":
    case "-":
    case "*":
    case "/":
      return `${wrap(expr.left)} ${expr.op} ${wrap(expr.right, true)}`;
    case "neg":
      return `-${wrap(expr.operand)}`;
    case "at_end":
    case "each_step":
      return `${expr.op}(${p(expr.reward)})`;
    case "renorm":
      return `renorm(process = ${p(expr.process)}, outcome = ${p(expr.outcome)})`;
    case "gate":
      return `gate(${p(expr.process)}, on = ${p(expr.on)})`;
    case "clip":
      return `clip(${p(expr.reward)}, ${expr.lo}, ${expr.hi})`;
    case "threshold":
      return `threshold(${p(expr.reward)}, ${expr.t})`;
  }
}

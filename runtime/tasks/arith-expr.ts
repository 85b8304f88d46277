/**
 * The arithmetic task's expressions and the texts written about them (runtime/tasks/README.md):
 * the problem as the prompt shows it, the expert solution's steps, the `answer: N` line. The
 * generator (arith-generate.ts) and the verifiers (arith-verify.ts) both go through here, so
 * what one writes the other reads.
 *
 * Values are non-negative integers throughout: the generator never makes a negative or a
 * fraction, and the verifiers read only what the generator could have written. The evaluator
 * works in BigInt, so a prompt from elsewhere cannot lose precision.
 */

export type Operator = "+" | "-" | "*" | "/";
export const OPERATORS: readonly Operator[] = ["+", "-", "*", "/"];

export type Expr = { kind: "num"; value: number } | { kind: "op"; op: Operator; left: Expr; right: Expr };

/** One line of a solution: `left op right=result`. */
export interface Step {
  left: bigint;
  op: Operator;
  right: bigint;
  result: bigint;
}

/**
 * The problem's text. Every operation that is an operand of another is parenthesised and the
 * outermost is not, so the text has one reading with no precedence rules: `((7+5)*3)-4`.
 */
export function formatExpr(expr: Expr): string {
  if (expr.kind === "num") return String(expr.value);
  const side = (e: Expr) => (e.kind === "num" ? formatExpr(e) : `(${formatExpr(e)})`);
  return `${side(expr.left)}${expr.op}${side(expr.right)}`;
}

/** The prompt: the problem, then a newline, after which the response (the first step) starts. */
export function formatPrompt(expr: Expr): string {
  return `${formatExpr(expr)}\n`;
}

/** The result of `left op right`, or undefined when it is not a non-negative integer. */
export function apply(op: Operator, left: bigint, right: bigint): bigint | undefined {
  switch (op) {
    case "+":
      return left + right;
    case "-":
      return left >= right ? left - right : undefined;
    case "*":
      return left * right;
    case "/":
      return right !== 0n && left % right === 0n ? left / right : undefined;
  }
}

/** The value, or undefined when some operation in it has no non-negative integer result. */
export function evaluate(expr: Expr): bigint | undefined {
  if (expr.kind === "num") return BigInt(expr.value);
  const left = evaluate(expr.left);
  const right = evaluate(expr.right);
  return left === undefined || right === undefined ? undefined : apply(expr.op, left, right);
}

/**
 * The expert's steps: one per operator, innermost first and left to right, i.e. each step
 * computes the leftmost parenthesised group whose two operands are already numbers. That is
 * the post-order walk: a group's left side is done before its right side, both before it.
 */
export function solutionSteps(expr: Expr): Step[] {
  const steps: Step[] = [];
  const walk = (e: Expr): bigint => {
    if (e.kind === "num") return BigInt(e.value);
    const left = walk(e.left);
    const right = walk(e.right);
    const result = apply(e.op, left, right);
    if (result === undefined) throw new Error(`arith: ${formatExpr(e)} has no non-negative integer value`);
    steps.push({ left, op: e.op, right, result });
    return result;
  };
  walk(expr);
  return steps;
}

export function formatStep(step: Step): string {
  return `${step.left}${step.op}${step.right}=${step.result}`;
}

export function formatAnswer(answer: bigint): string {
  return `answer: ${answer}`;
}

/** The expert solution: its steps, one per line, then `answer: N`, with no trailing newline. */
export function solutionText(expr: Expr): string {
  const steps = solutionSteps(expr);
  const answer = evaluate(expr);
  if (answer === undefined) throw new Error(`arith: ${formatExpr(expr)} has no non-negative integer value`);
  return [...steps.map(formatStep), formatAnswer(answer)].join("\n");
}

/** The operators of an expression, the task's `depth`. */
export function operatorCount(expr: Expr): number {
  return expr.kind === "num" ? 0 : 1 + operatorCount(expr.left) + operatorCount(expr.right);
}

/** The numbers the problem is written with, one entry per occurrence, left to right. */
export function operands(expr: Expr): number[] {
  return expr.kind === "num" ? [expr.value] : [...operands(expr.left), ...operands(expr.right)];
}

/**
 * Reads a problem written as formatExpr writes it (surrounding whitespace allowed, so a prompt
 * with its newline reads too); undefined for any other text. Only the fully parenthesised form
 * is read: `7+5*3` has no reading without precedence rules, which this task does not have.
 */
export function parseExpr(text: string): Expr | undefined {
  const src = text.trim();
  let pos = 0;
  const operand = (): Expr | undefined => {
    if (src[pos] === "(") {
      pos++;
      const inner = operation();
      if (inner === undefined || src[pos] !== ")") return undefined;
      pos++;
      return inner;
    }
    const match = /^\d+/.exec(src.slice(pos));
    if (match === null) return undefined;
    pos += match[0].length;
    const value = Number(match[0]);
    return Number.isSafeInteger(value) ? { kind: "num", value } : undefined;
  };
  // Inside parentheses there is exactly one operator: `(7)` and `(1+2+3)` are not the format.
  const operation = (): Expr | undefined => {
    const left = operand();
    const op = src[pos] as Operator;
    if (left === undefined || !OPERATORS.includes(op)) return undefined;
    pos++;
    const right = operand();
    return right === undefined ? undefined : { kind: "op", op, left, right };
  };
  const start = pos;
  let expr = operation();
  if (expr === undefined || pos !== src.length) {
    // A problem of no operators is just a number.
    pos = start;
    expr = operand();
    if (expr?.kind !== "num" || pos !== src.length) return undefined;
  }
  return expr;
}

/**
 * The arithmetic task's verifiers (runtime/tasks/README.md), on text:
 *
 * - `answer_match` (outcome): 1 when the response's last `answer: N` line says the answer,
 *   compared as integers, else 0. Only a whole line counts (surrounding spaces allowed), and
 *   the last one decides, since a response that corrects itself means its final word.
 * - `step_check` (process): one value per step. A step `a op b=c` is 1 when a and b are both
 *   available and c is a op b; available values are the problem's numbers and the results of
 *   earlier steps that scored 1, each as many times as it occurs, and a step that scores 1 uses
 *   up its operands. So the expert solution scores all 1, while repeating a right step, using
 *   a number the problem does not have, or building on a wrong result scores 0. The `answer: N`
 *   line is 1 when it is the response's last step, N is the answer, and the steps that scored 1
 *   used every number of the problem, leaving N as the only value: the answer has to be worked
 *   out from the whole problem, and said once, at the end. Anything else (an empty line, prose,
 *   `7/2=3`, a negative) is 0.
 *
 * Numbers in steps are unsigned digits, read as BigInt so that no length loses precision;
 * spaces around the parts of a line are allowed (`7 + 5 = 12`).
 */
import { apply, evaluate, type Expr, operands, type Operator } from "./arith-expr.js";

const ANSWER_LINE = /^ *answer: *(\d+) *$/;
const STEP_LINE = /^ *(\d+) *([+\-*/]) *(\d+) *= *(\d+) *$/;

/** N of the response's last `answer: N` line, or undefined when it has none. */
export function finalAnswer(response: string): bigint | undefined {
  let found: bigint | undefined;
  for (const line of response.split("\n")) found = answerOf(line) ?? found;
  return found;
}

/** N of an `answer: N` line; undefined when the line is not one. */
function answerOf(line: string): bigint | undefined {
  const digits = ANSWER_LINE.exec(line)?.[1];
  return digits === undefined ? undefined : BigInt(digits);
}

/** The parts of an `a op b = c` line; undefined when the line is not one. */
function stepOf(line: string): { a: bigint; op: Operator; b: bigint; c: bigint } | undefined {
  const [, a, op, b, c] = STEP_LINE.exec(line) ?? [];
  if (a === undefined || op === undefined || b === undefined || c === undefined) return undefined;
  return { a: BigInt(a), op: op as Operator, b: BigInt(b), c: BigInt(c) };
}

export function answerMatch(response: string, answer: bigint): 0 | 1 {
  return finalAnswer(response) === answer ? 1 : 0;
}

/** The scores of a response's steps (its lines, without their separators) for `problem`. */
export function stepCheck(problem: Expr, steps: readonly string[]): (0 | 1)[] {
  const answer = evaluate(problem);
  // How many times each value is available; keyed by the decimal text, as BigInts are not
  // compared by identity in a Map.
  const pool = new Map<string, number>();
  const add = (v: bigint) => pool.set(String(v), (pool.get(String(v)) ?? 0) + 1);
  const take = (v: bigint) => pool.set(String(v), pool.get(String(v))! - 1);
  for (const value of operands(problem)) add(BigInt(value));
  // Whether the steps so far reduced the problem to the single value n.
  const reducedTo = (n: bigint) => [...pool].every(([v, k]) => (v === String(n) ? k === 1 : k === 0));
  return steps.map((line, index): 0 | 1 => {
    const n = answerOf(line);
    if (n !== undefined) return index === steps.length - 1 && n === answer && reducedTo(n) ? 1 : 0;
    const step = stepOf(line);
    if (step === undefined) return 0;
    const { a, b, c } = step;
    if (apply(step.op, a, b) !== c) return 0;
    // a and b may be the same value: then it has to be available twice.
    const need = a === b ? 2 : 1;
    if ((pool.get(String(a)) ?? 0) < need || (pool.get(String(b)) ?? 0) < 1) return 0;
    take(a);
    take(b);
    add(c);
    return 1;
  });
}

/**
 * The hub recipes' data, recipes/hub/data/math.jsonl: arithmetic problems of one to three
 * operators from std/arith's seeded generator (runtime/tasks/README.md), asked as an instruct
 * model is asked, each with its answer and a worked solution in the task's step format. It has
 * rows enough for the largest step of any hub recipe, so that every export runs as shipped
 * (`roux check --target` reports a dataset smaller than a step, E3203). hub-data.test.ts checks
 * that the shipped file is what this writes; `UPDATE_GOLDEN=1` writes it.
 */
import { formatExpr, solutionText } from "../runtime/tasks/arith-expr.js";
import { generateProblems } from "../runtime/tasks/arith-generate.js";

export const HUB_MATH_FILE = "recipes/hub/data/math.jsonl";
export const HUB_MATH_ROWS = 256;
const SEED = 18;

export function hubMathJsonl(): string {
  return generateProblems(HUB_MATH_ROWS, { lo: 1, hi: 3 }, SEED)
    .map(({ expr, value }) =>
      JSON.stringify({
        question: `What is ${formatExpr(expr)}? Work it out one step per line, then end with \`answer: N\`.`,
        answer: String(value),
        solution: solutionText(expr),
      }),
    )
    .map((line) => `${line}\n`)
    .join("");
}

/**
 * The examples of a standard task's generator (docs/language.md §8), as runtime/run/datasets.ts
 * loads a `{kind: "task"}` dataset source. `std/arith` has two generators, both taking
 * `count`, `depth` (a range of operators per problem, default 2..4) and `seed` (default 0):
 *
 * - `problems`: the prompt (the problem, then "\n") and the answer; no response.
 * - `solutions`: the same, with the expert solution as the response.
 *
 * What cannot be generated (an unknown task or generator, a missing or bad argument) is an
 * Error whose message names the member and the argument, thrown before any example is made.
 */
import type { Range, Value } from "../../plan/plan.js";
import { evaluate, formatPrompt, solutionText } from "./arith-expr.js";
import { generateProblems, MAX_DEPTH, type DepthRange } from "./arith-generate.js";

export interface TaskExample {
  prompt: string;
  response: string | null;
  answer: string | null;
}

/** The generators of each standard task, by name. */
const GENERATORS: Record<string, Record<string, (args: Record<string, Value>) => TaskExample[]>> = {
  arith: {
    problems: (args) => arithExamples("problems", args, false),
    solutions: (args) => arithExamples("solutions", args, true),
  },
};

export function taskExamples(
  task: string,
  generator: string,
  args: Record<string, Value>,
): { prompt: string; response: string | null; answer: string | null }[] {
  const members = Object.hasOwn(GENERATORS, task) ? GENERATORS[task] : undefined;
  if (members === undefined) {
    throw new Error(`unknown standard task \`${task}\`; the tasks with generators are ${names(GENERATORS)}`);
  }
  const generate = Object.hasOwn(members, generator) ? members[generator] : undefined;
  if (generate === undefined) {
    throw new Error(`\`${task}\` has no generator \`${generator}\`; its generators are ${names(members)}`);
  }
  return generate(args);
}

const DEFAULT_DEPTH: DepthRange = { lo: 2, hi: 4 };
/** Far beyond any dataset a local run trains on; a bound so a typo does not exhaust memory. */
const MAX_COUNT = 10_000_000;

function arithExamples(generator: string, args: Record<string, Value>, withResponses: boolean): TaskExample[] {
  const member = `arith.${generator}`;
  const known = ["count", "depth", "seed"];
  for (const key of Object.keys(args)) {
    if (!known.includes(key)) throw new Error(`${member} has no argument \`${key}\`; its arguments are ${known.map((k) => `\`${k}\``).join(", ")}`);
  }
  if (args.count === undefined) throw new Error(`${member} needs \`count\`, how many problems`);
  const count = integerArg(member, "count", args.count, 1, MAX_COUNT);
  const seed = args.seed === undefined ? 0 : integerArg(member, "seed", args.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const depth = args.depth === undefined ? DEFAULT_DEPTH : depthArg(member, args.depth);
  return generateProblems(count, depth, seed).map(({ expr }) => {
    const answer = String(evaluate(expr));
    return { prompt: formatPrompt(expr), response: withResponses ? solutionText(expr) : null, answer };
  });
}

function integerArg(member: string, name: string, value: Value, lo: number, hi: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi) {
    throw new Error(`${member}: \`${name}\` should be an integer from ${lo} to ${hi}, found ${JSON.stringify(value)}`);
  }
  return value;
}

function depthArg(member: string, value: Value): DepthRange {
  const range = value as Partial<Range>;
  const ok =
    typeof value === "object" &&
    typeof range.lo === "number" &&
    typeof range.hi === "number" &&
    Number.isInteger(range.lo) &&
    Number.isInteger(range.hi) &&
    range.lo >= 1 &&
    range.lo <= range.hi &&
    range.hi <= MAX_DEPTH;
  if (!ok) {
    throw new Error(
      `${member}: \`depth\` should be a range of operators per problem, like 2..4, with 1 <= lo <= hi <= ${MAX_DEPTH}; found ${JSON.stringify(value)}`,
    );
  }
  return { lo: range.lo!, hi: range.hi! };
}

function names(record: object): string {
  return Object.keys(record)
    .map((k) => `\`${k}\``)
    .join(", ");
}

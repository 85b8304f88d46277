/**
 * Step-correctness data for training a process reward model on std/arith (runtime/prm/): the
 * expert solutions and damaged copies of them, each step labelled by `step_check`.
 *
 * A PRM learns from the mistakes it is shown, so the damage is the kind a policy makes: a wrong
 * result, a number the problem does not have, a step repeated, a made-up step that is right as
 * arithmetic but unrelated to the problem, steps cut off, a wrong final answer. The labels are
 * step_check's, so a damaged step that happens to be right (a made-up `3+4=7` on a problem with
 * a 3 and a 4) is labelled 1. Label noise then flips each label with probability `noise`: real
 * PRMs are trained on noisy labels, and an imperfect one is what lets reward hacking show.
 */
import { below, type Rng } from "../ops/rng.js";
import { apply, evaluate, formatAnswer, formatStep, OPERATORS, solutionSteps, type Expr, type Step } from "./arith-expr.js";
import { MAX_OPERAND, MIN_OPERAND } from "./arith-generate.js";
import { stepCheck } from "./arith-verify.js";

export interface LabelledResponse {
  readonly steps: readonly string[];
  /** step_check's verdicts, one per step. */
  readonly clean: readonly (0 | 1)[];
  /** The verdicts after label noise: what the PRM trains on. */
  readonly labels: readonly (0 | 1)[];
}

type Damage = (lines: string[], steps: Step[], rng: Rng) => string[];

const digit = (rng: Rng) => BigInt(MIN_OPERAND + below(rng, MAX_OPERAND - MIN_OPERAND + 1));
const offBy = (rng: Rng, v: bigint) => (v === 0n || rng() < 0.5 ? v + 1n + BigInt(below(rng, 3)) : v - 1n);

/** A right-as-arithmetic step on small numbers, whether or not the problem has them. */
function madeUpStep(rng: Rng): string {
  for (;;) {
    const step = { left: digit(rng), op: OPERATORS[below(rng, OPERATORS.length)]!, right: digit(rng) };
    const result = apply(step.op, step.left, step.right);
    if (result !== undefined) return formatStep({ ...step, result });
  }
}

// `lines` are the expert's: one per step, then the answer. A problem without operators has no
// step, and a damage that changes a step then leaves the lines as they are.
const DAMAGES: readonly Damage[] = [
  // A wrong result in one step (and every later step built on it is wrong too).
  (lines, steps, rng) => {
    const k = below(rng, steps.length);
    const step = steps[k];
    if (step !== undefined) lines[k] = formatStep({ ...step, result: offBy(rng, step.result) });
    return lines;
  },
  // A number the problem may not have, with the arithmetic done right on it.
  (lines, steps, rng) => {
    const k = below(rng, steps.length);
    const original = steps[k];
    if (original === undefined) return lines;
    const step = rng() < 0.5 ? { ...original, left: digit(rng) } : { ...original, right: digit(rng) };
    const result = apply(step.op, step.left, step.right);
    if (result !== undefined) lines[k] = formatStep({ ...step, result });
    return lines;
  },
  // A step said twice (the answer, when there is no step).
  (lines, steps, rng) => {
    const k = below(rng, steps.length);
    lines.splice(k + 1, 0, lines[k]!);
    return lines;
  },
  // Made-up steps inserted anywhere before the answer: the hack a process reward invites.
  (lines, _steps, rng) => {
    const count = 1 + below(rng, 3);
    for (let i = 0; i < count; i++) lines.splice(below(rng, lines.length), 0, madeUpStep(rng));
    return lines;
  },
  // Cut short: the last steps, or only the answer, missing.
  (lines, _steps, rng) => lines.slice(0, 1 + below(rng, lines.length - 1)),
  // A wrong final answer.
  (lines, _steps, rng) => {
    const answer = BigInt(/\d+$/.exec(lines.at(-1)!)![0]);
    lines[lines.length - 1] = formatAnswer(offBy(rng, answer));
    return lines;
  },
];

/** For each problem: the expert solution with probability `clean`, else one damaged copy. */
export function labelledResponses(problems: readonly Expr[], rng: Rng, options: { noise: number; clean: number }): LabelledResponse[] {
  if (!(options.noise >= 0 && options.noise <= 0.5)) throw new Error(`label noise ${options.noise} is not a probability from 0 to 0.5`);
  return problems.map((problem) => {
    const steps = solutionSteps(problem);
    const expert = [...steps.map(formatStep), formatAnswer(evaluate(problem)!)];
    const lines = rng() < options.clean ? expert : DAMAGES[below(rng, DAMAGES.length)]!([...expert], steps, rng);
    const clean = stepCheck(problem, lines);
    const labels = clean.map((label) => (rng() < options.noise ? ((1 - label) as 0 | 1) : label));
    return { steps: lines, clean, labels };
  });
}

/**
 * An eval's result as the run keeps it: the answers in their own file, then the event that
 * names it. One place for both, so `roux run`'s evals and `roux eval`'s read the same.
 */
import { evalAnswersFile } from "../record/layout.js";
import type { EvalResult } from "./evaluate.js";
import { now, type RunEvent } from "../record/events.js";
import type { RunDirectory } from "./run-dir.js";

export async function recordEval(dir: RunDirectory, result: EvalResult, stage: string, step: number): Promise<Extract<RunEvent, { event: "eval" }>> {
  const answers = evalAnswersFile(stage, step, result.data);
  await dir.saveEvalAnswers(answers, result.answers);
  return {
    event: "eval",
    time: now(),
    stage,
    step,
    data: result.data,
    examples: result.examples,
    temperature: result.temperature,
    samples: result.samples,
    values: result.values,
    accuracy: result.accuracy,
    tokens_per_answer: result.tokensPerAnswer,
    steps_per_answer: result.stepsPerAnswer,
    answers,
  };
}

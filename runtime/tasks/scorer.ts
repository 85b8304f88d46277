/**
 * The scorer of a standard task's verifier (`{kind: "task"}` reward sources), which
 * runtime/rewards/create-scorer.ts hands here. `std/arith` has `answer_match` (outcome) and
 * `step_check` (process); arith-verify.ts says what they score.
 *
 * As every reward source (runtime/rewards/source.ts), a task scorer never throws for a bad
 * response: a response is scored, whatever it says. What is the data's or the caller's fault is
 * a failure of that sample, never a 0: an example without an answer (answer_match), a prompt
 * that is not an arith problem (step_check), or step ends that do not split the response.
 * What cannot be scored at all (an unknown verifier, arguments, the wrong granularity) throws
 * when the scorer is made, before anything runs.
 */
import type { RewardSource as PlanRewardSource } from "../../plan/plan.js";
import { ResultBuilder } from "../rewards/result.js";
import type { RewardScorer, ScoringSample } from "../rewards/source.js";
import { splitStepText } from "../rewards/text-steps.js";
import { STEP_SEPARATOR } from "../tokenizer.js";
import { evaluate, parseExpr } from "./arith-expr.js";
import { answerMatch, stepCheck } from "./arith-verify.js";

type Verdict = { values: number[] } | { failure: string };
type Judge = (sample: ScoringSample) => Verdict;

const VERIFIERS: Record<string, Record<string, { granularity: PlanRewardSource["granularity"]; judge: Judge }>> = {
  arith: {
    answer_match: { granularity: "outcome", judge: judgeAnswer },
    step_check: { granularity: "process", judge: judgeSteps },
  },
};

export function createTaskScorer(source: PlanRewardSource): RewardScorer {
  const kind = source.source;
  if (kind.kind !== "task") throw new Error(`reward source \`${source.name}\` (${kind.kind}) is not a task verifier`);
  const members = Object.hasOwn(VERIFIERS, kind.task) ? VERIFIERS[kind.task] : undefined;
  if (members === undefined) {
    throw new Error(`reward source \`${source.name}\`: unknown standard task \`${kind.task}\`; the tasks with verifiers are ${list(VERIFIERS)}`);
  }
  const verifier = Object.hasOwn(members, kind.verifier) ? members[kind.verifier] : undefined;
  const member = `${kind.task}.${kind.verifier}`;
  if (verifier === undefined) {
    throw new Error(`reward source \`${source.name}\`: \`${kind.task}\` has no verifier \`${kind.verifier}\`; its verifiers are ${list(members)}`);
  }
  if (Object.keys(kind.args).length > 0) {
    throw new Error(`reward source \`${source.name}\`: ${member} takes no arguments, found ${list(kind.args)}`);
  }
  if (source.granularity !== verifier.granularity) {
    throw new Error(`reward source \`${source.name}\`: ${member} gives ${verifier.granularity} rewards, and the source is declared ${source.granularity}`);
  }
  return {
    source,
    async score(samples) {
      const result = new ResultBuilder(source.granularity, samples);
      samples.forEach((sample, i) => {
        let verdict: Verdict;
        try {
          verdict = verifier.judge(sample);
        } catch (error) {
          // The judges do not throw on any text; this keeps the batch if one ever does.
          verdict = { failure: `${member}: ${(error as Error).message}` };
        }
        if ("failure" in verdict) result.fail(i, `${member}: ${verdict.failure}`);
        else result.set(i, verdict.values);
      });
      return result.result();
    },
    async close() {},
  };
}

function judgeAnswer(sample: ScoringSample): Verdict {
  if (sample.answer === null) return { failure: "the example has no answer to compare with" };
  const answer = sample.answer.trim();
  if (!/^\d+$/.test(answer)) return { failure: `the example's answer ${JSON.stringify(sample.answer)} is not a non-negative integer` };
  return { values: [answerMatch(sample.response, BigInt(answer))] };
}

function judgeSteps(sample: ScoringSample): Verdict {
  const problem = parseExpr(sample.prompt);
  if (problem === undefined || evaluate(problem) === undefined) {
    return { failure: `the prompt ${JSON.stringify(sample.prompt)} is not an arith problem like "((7+5)*3)-4"` };
  }
  const steps = stepTexts(sample);
  if (typeof steps === "string") return { failure: steps };
  return { values: stepCheck(problem, steps) };
}

/**
 * The response's steps as text, lined up with `sample.stepEnds`. When the sample's tokens are
 * one per character (as with std/arith's chars tokenizer, or bytes on ASCII), each step is the
 * characters up to its end, so the values sit on exactly the steps the caller split. Otherwise
 * the text is split as splitSteps splits tokens (text-steps.ts), and has to give as many steps.
 */
function stepTexts(sample: ScoringSample): string[] | string {
  const chars = [...sample.response];
  const ends = sample.stepEnds;
  if (sample.tokens !== null && sample.tokens.length === chars.length) {
    const mismatch = `the step ends ${JSON.stringify(ends)} do not split a response of ${chars.length} tokens`;
    // Each step runs from the token after the previous end to its own; the last ends the response.
    const steps: string[] = [];
    let start = 0;
    for (const end of ends) {
      if (!Number.isInteger(end) || end < start || end >= chars.length) return mismatch;
      const step = chars.slice(start, end + 1).join("");
      steps.push(step.endsWith(STEP_SEPARATOR) ? step.slice(0, -STEP_SEPARATOR.length) : step);
      start = end + 1;
    }
    return start === chars.length ? steps : mismatch;
  }
  const steps = splitStepText(sample.response, STEP_SEPARATOR);
  if (steps.length !== ends.length) {
    return (
      `the response's text has ${steps.length} steps (split on ${JSON.stringify(STEP_SEPARATOR)}) but the sample has ${ends.length} step ends; ` +
      "step_check needs both to agree"
    );
  }
  return steps;
}

function list(record: object): string {
  return Object.keys(record)
    .map((k) => `\`${k}\``)
    .join(", ");
}

/**
 * The built-in verifiers of docs/language.md §5, outcome rewards with values {0, 1}:
 *
 * - `exact_match(extract)`: 1 when the first capturing group of the first match of `extract` in
 *   the response, trimmed, equals the example's answer, trimmed. No match, or a match where the
 *   group took no part (`(\d+)?`), is 0.
 * - `numeric_match(extract, tol)`: the same group read as a number (numbers.ts says which texts
 *   are numbers) is 1 when |x - answer| <= tol, allowing for the rounding of decimal inputs (a
 *   few units in the last place, so 1.1 is within 0.1 of 1.0). Text that is not a number is 0.
 * - `regex_match(pattern)`: 1 when the pattern matches anywhere in the response.
 *
 * The first match decides, as in Python's `re.search`: a response that writes two answers is
 * judged by the first. What is the recipe's or the data's fault rather than the response's is a
 * failure, never a 0: a pattern that does not compile (pattern.ts) fails every sample; so does
 * an `extract` without a capturing group, which could never match an answer; an example
 * without an answer, or (numeric_match) whose answer is not a number, fails that sample.
 */
import type { RewardSource as PlanRewardSource } from "../../plan/plan.js";
import { parseNumber } from "./numbers.js";
import { compilePattern } from "./pattern.js";
import { allFailed, ResultBuilder } from "./result.js";
import type { RewardScorer, ScoringSample } from "./source.js";

/** A verifier's judgement of one response: a value, or why the sample cannot be judged. */
type Verdict = { value: 0 | 1 } | { failure: string };

/** The first capturing group of the first match, trimmed; undefined when there is none. */
export function extractAnswer(regex: RegExp, response: string): string | undefined {
  return regex.exec(response)?.[1]?.trim();
}

export function exactMatch(regex: RegExp, response: string, answer: string): 0 | 1 {
  return extractAnswer(regex, response) === answer.trim() ? 1 : 0;
}

/** `answer` is the example's answer, already read as a number. */
export function numericMatch(regex: RegExp, response: string, answer: number, tol: number): 0 | 1 {
  const text = extractAnswer(regex, response);
  const value = text === undefined ? undefined : parseNumber(text);
  if (value === undefined) return 0;
  const slack = 8 * Number.EPSILON * Math.max(Math.abs(value), Math.abs(answer), tol);
  return Math.abs(value - answer) <= tol + slack ? 1 : 0;
}

export function regexMatch(regex: RegExp, response: string): 0 | 1 {
  return regex.test(response) ? 1 : 0;
}

type VerifierKind = Extract<PlanRewardSource["source"], { kind: "exact_match" | "numeric_match" | "regex_match" }>;

export function isVerifier(kind: PlanRewardSource["source"]): kind is VerifierKind {
  return kind.kind === "exact_match" || kind.kind === "numeric_match" || kind.kind === "regex_match";
}

/** A scorer for one of the three verifiers; `source.source` must be one (see isVerifier). */
export function createVerifierScorer(source: PlanRewardSource): RewardScorer {
  const kind = source.source;
  if (!isVerifier(kind)) throw new Error(`reward source \`${source.name}\` (${kind.kind}) is not a built-in verifier`);
  if (source.granularity !== "outcome") {
    throw new Error(`reward source \`${source.name}\`: ${kind.kind} is an outcome reward, not ${source.granularity}`);
  }
  const judge = verdicts(kind);
  return {
    source,
    async score(samples) {
      if (typeof judge === "string") return allFailed(source.granularity, samples, judge);
      const result = new ResultBuilder(source.granularity, samples);
      samples.forEach((sample, i) => {
        const verdict = judge(sample);
        if ("failure" in verdict) result.fail(i, verdict.failure);
        else result.set(i, [verdict.value]);
      });
      return result.result();
    },
    async close() {},
  };
}

/** The judge of one sample, or why no sample can be judged. */
function verdicts(kind: VerifierKind): ((sample: ScoringSample) => Verdict) | string {
  const pattern = kind.kind === "regex_match" ? kind.pattern : kind.extract;
  const compiled = compilePattern(pattern);
  if (!compiled.ok) return `${kind.kind}: ${compiled.reason}`;
  const { regex, groups } = compiled;
  if (kind.kind === "regex_match") return (sample) => ({ value: regexMatch(regex, sample.response) });
  if (groups === 0) {
    return (
      `${kind.kind}: the extract pattern ${JSON.stringify(pattern)} has no capturing group; ` +
      `put the answer's part in parentheses, e.g. "answer: (-?\\\\d+)"`
    );
  }
  if (kind.kind === "exact_match") {
    return (sample) => (sample.answer === null ? noAnswer(kind.kind) : { value: exactMatch(regex, sample.response, sample.answer) });
  }
  return (sample) => {
    if (sample.answer === null) return noAnswer(kind.kind);
    const answer = parseNumber(sample.answer);
    if (answer === undefined) return { failure: `numeric_match: the example's answer ${JSON.stringify(sample.answer)} is not a number` };
    return { value: numericMatch(regex, sample.response, answer, kind.tol) };
  };
}

function noAnswer(kind: string): Verdict {
  return { failure: `${kind}: the example has no answer to compare with` };
}

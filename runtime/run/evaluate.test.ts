/**
 * An eval that samples k answers per prompt (docs/algorithms.md §10), on the CI recipe
 * test/e2e/recipes/rl.recipe's untrained policy: its 8 prompts, the outcome `starts_b`, seed 5.
 * The figures it reports are checked against its own answers, counted here by hand.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planOfFile } from "../../compiler/plan/testing.js";
import type { EvalAnswer } from "../record/events.js";
import { runEval, type EvalBlock, type EvalResult } from "./evaluate.js";
import { closeSession, openSession, type Session } from "./session.js";

const K = 4;
const PROMPTS = 8;
const rewards = [{ label: "starts_b", expr: { op: "reward" as const, name: "starts_b" } }];
const sampling: EvalBlock = { data: "prompts", temperature: 1, samples: K, rewards };
const at = { stage: 0, step: 10 };

let session: Session;
let result: EvalResult;
beforeAll(async () => {
  session = await openSession(planOfFile(path.join("test", "e2e", "recipes", "rl.recipe")));
  result = await runEval(session, sampling, at);
});
afterAll(async () => {
  await closeSession(session);
});

const right = (a: EvalAnswer) => (a.rewards.starts_b?.[0] === 1 ? 1 : 0);
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
/** The sample standard deviation over sqrt(N), written out. */
const standardError = (xs: readonly number[]) => Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1) / xs.length);

describe("an eval that samples k answers per prompt", () => {
  it("answers each prompt greedily once and k times at its temperature, each answer naming its problem", () => {
    expect(result.answers).toHaveLength(PROMPTS * (1 + K));
    const examples = session.datasets.get("prompts")!;
    for (let problem = 0; problem < PROMPTS; problem++) {
      const answers = result.answers.filter((a) => a.problem === problem);
      expect(answers.map((a) => a.temperature).sort()).toEqual([0, 1, 1, 1, 1]);
      expect(new Set(answers.map((a) => a.prompt))).toEqual(new Set([examples[problem]!.prompt]));
    }
    expect(result).toMatchObject({ examples: PROMPTS, temperature: 1, samples: K });
  });

  it("reports greedy and sampled accuracy and pass@k, each with its standard error over the problems", () => {
    const problems = Array.from({ length: PROMPTS }, (_, p) => result.answers.filter((a) => a.problem === p));
    const greedy = problems.map((answers) => right(answers.find((a) => a.temperature === 0)!));
    const sampled = problems.map((answers) => answers.filter((a) => a.temperature === 1).map(right));
    // n = k samples: pass@k is whether any of them is right.
    const passAtK = sampled.map((rights) => Math.max(...rights));
    const perProblem = sampled.map(mean);
    const figures = result.accuracy.starts_b!;
    expect(figures.greedy?.mean).toBeCloseTo(mean(greedy), 12);
    expect(figures.greedy?.se).toBeCloseTo(standardError(greedy), 12);
    expect(figures.sampled?.mean).toBeCloseTo(mean(perProblem), 12);
    expect(figures.sampled?.se).toBeCloseTo(standardError(perProblem), 12);
    expect(figures.pass_at_k?.mean).toBeCloseTo(mean(passAtK), 12);
    expect(figures.pass_at_k?.se).toBeCloseTo(standardError(passAtK), 12);
    // The value at the eval's temperature is the sampled accuracy; the untrained policy answers
    // some problems right and some wrong, so none of this is 0 = 0.
    expect(result.values.starts_b).toBeCloseTo(mean(perProblem), 6);
    expect(perProblem.some((p) => p > 0) && perProblem.some((p) => p < 1)).toBe(true);
    expect(figures.pass_at_k!.mean).toBeGreaterThanOrEqual(figures.sampled!.mean);
  });

  it("keeps its mean tokens to the answers at its temperature", () => {
    const sampledAnswers = result.answers.filter((a) => a.temperature === 1);
    expect(result.tokensPerAnswer).toBeCloseTo(mean(sampledAnswers.map((a) => a.tokens)), 5);
  });

  it("draws the same answers again at the same stage and step, other samples at another step, the same greedy ones", async () => {
    const again = await runEval(session, sampling, at);
    expect(again.answers).toEqual(result.answers);
    const later = await runEval(session, sampling, { stage: 0, step: 20 });
    const responses = (r: EvalResult, temperature: number) => r.answers.filter((a) => a.temperature === temperature).map((a) => a.response);
    expect(responses(later, 0)).toEqual(responses(result, 0));
    expect(responses(later, 1)).not.toEqual(responses(result, 1));
  });

  it("is the greedy eval's answers and accuracy, with nothing sampled, at temperature 0", async () => {
    const greedy = await runEval(session, { ...sampling, temperature: 0, samples: 1 }, at);
    expect(greedy.answers).toEqual(result.answers.filter((a) => a.temperature === 0));
    expect(greedy.accuracy.starts_b?.greedy).toEqual(result.accuracy.starts_b?.greedy);
    expect(Object.keys(greedy.accuracy.starts_b ?? {})).toEqual(["greedy"]);
  });
});

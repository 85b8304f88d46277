import { describe, expect, it } from "vitest";
import { splitSteps } from "../ops/batch.js";
import { createScorer } from "../rewards/create-scorer.js";
import type { ScoringSample } from "../rewards/source.js";
import { rewardSource } from "../rewards/testing.js";
import { createTokenizer } from "../tokenizer.js";
import { taskExamples } from "./datasets.js";

const tokenizer = createTokenizer({ kind: "chars", alphabet: "0123456789+-*/()= \nanswer:" });
const answerMatch = rewardSource({ kind: "task", task: "arith", verifier: "answer_match", args: {} }, { name: "correct", binary: true });
const stepCheck = rewardSource({ kind: "task", task: "arith", verifier: "step_check", args: {} }, { name: "steps", granularity: "process", binary: true });

/** A sample as the run makes it: the arith tokenizer's ids, steps split at its "\n". */
function sample(prompt: string, response: string, answer: string | null = null): ScoringSample {
  const tokens = tokenizer.encode(response);
  return { prompt, answer, response, tokens, stepEnds: Array.from(splitSteps(tokens, tokenizer.separator!)) };
}

async function score(source: typeof answerMatch, samples: ScoringSample[]) {
  const scorer = createScorer(source);
  try {
    const result = await scorer.score(samples);
    return { values: result.values.map((v) => Array.from(v)), failures: result.failures };
  } finally {
    await scorer.close();
  }
}

describe("createScorer on std/arith's verifiers", () => {
  const prompt = "((7+5)*3)-4\n";
  const solution = "7+5=12\n12*3=36\n36-4=32\nanswer: 32";

  it("scores answer_match", async () => {
    const result = await score(answerMatch, [
      sample(prompt, solution, "32"),
      sample(prompt, "answer: 31", "32"),
      sample(prompt, "", "32"),
      sample(prompt, "answer 32", "32"),
    ]);
    expect(result).toEqual({ values: [[1], [0], [0], [0]], failures: [] });
  });

  it("scores step_check, one value per step", async () => {
    const result = await score(stepCheck, [
      sample(prompt, solution),
      sample(prompt, "7+5=13\n13*3=39\n"),
      sample(prompt, ""),
      sample(prompt, "8+4=12\n\n12*3=36"),
    ]);
    expect(result).toEqual({ values: [[1, 1, 1, 1], [0, 0], [], [0, 0, 0]], failures: [] });
  });

  it("splits the text as the tokens are split when the sample has no tokens", async () => {
    const result = await score(stepCheck, [{ prompt, answer: null, response: `${solution}\n`, tokens: null, stepEnds: [6, 14, 22, 33] }]);
    expect(result).toEqual({ values: [[1, 1, 1, 1]], failures: [] });
  });

  it("follows the sample's step ends over its tokens", async () => {
    // A caller that ends steps elsewhere gets values for its steps: "12*3=36\n36-4=32" is one.
    const s = sample(prompt, solution);
    const result = await score(stepCheck, [{ ...s, stepEnds: [6, 22, 32] }]);
    expect(result).toEqual({ values: [[1, 0, 0]], failures: [] });
  });

  it("scores every expert solution of a few hundred problems all 1", async () => {
    const examples = taskExamples("arith", "solutions", { count: 400, depth: { lo: 1, hi: 6 }, seed: 2024 });
    const samples = examples.map((e) => sample(e.prompt, e.response!, e.answer));
    const steps = await score(stepCheck, samples);
    const answers = await score(answerMatch, samples);
    expect(steps.failures).toEqual([]);
    expect(answers.failures).toEqual([]);
    steps.values.forEach((v, i) => {
      const { prompt, response } = examples[i]!;
      expect(v.length, prompt).toBe(response!.split("\n").length);
      expect(
        v.every((x) => x === 1),
        `${prompt}${response}`,
      ).toBe(true);
    });
    expect(answers.values.every((v) => v[0] === 1)).toBe(true);
    // The problems alone have no steps to show, and a wrong answer scores 0.
    const wrong = await score(
      answerMatch,
      examples.map((e) => sample(e.prompt, `answer: ${Number(e.answer) + 1}`, e.answer)),
    );
    expect(wrong.values.every((v) => v[0] === 0)).toBe(true);
  });

  it("fails the samples that are the data's or the caller's fault, never the batch", async () => {
    const answers = await score(answerMatch, [sample(prompt, solution, null), sample(prompt, solution, "3.5"), sample(prompt, solution, "32")]);
    expect(answers.values[2]).toEqual([1]);
    expect(answers.failures.map((f) => f.sample)).toEqual([0, 1]);
    expect(answers.failures[0]?.reason).toBe("arith.answer_match: the example has no answer to compare with");
    expect(answers.values[0]?.[0]).toBeNaN();

    const bad = { ...sample(prompt, solution), tokens: null, stepEnds: [6] };
    const steps = await score(stepCheck, [
      sample("what is 7+5?", "7+5=12"),
      bad,
      { ...sample(prompt, solution), stepEnds: [3, 2, 32] },
      sample(prompt, solution),
    ]);
    expect(steps.failures.map((f) => f.sample)).toEqual([0, 1, 2]);
    expect(steps.failures[0]?.reason).toContain("is not an arith problem");
    expect(steps.failures[1]?.reason).toContain("has 4 steps");
    expect(steps.failures[2]?.reason).toContain("do not split a response");
    expect(steps.values[1]).toHaveLength(1);
    expect(steps.values[3]).toEqual([1, 1, 1, 1]);
  });

  it("refuses what cannot be scored when the scorer is made", () => {
    const task = (verifier: string, fields = {}, args = {}, name = "arith") =>
      rewardSource({ kind: "task", task: name, verifier, args }, { name: "r", ...fields });
    expect(() => createScorer(task("proof_check"))).toThrow(
      "reward source `r`: `arith` has no verifier `proof_check`; its verifiers are `answer_match`, `step_check`",
    );
    expect(() => createScorer(task("answer_match", {}, {}, "algebra"))).toThrow("reward source `r`: unknown standard task `algebra`");
    expect(() => createScorer(task("answer_match", {}, { tol: 1 }))).toThrow("arith.answer_match takes no arguments");
    expect(() => createScorer(task("step_check"))).toThrow("arith.step_check gives process rewards, and the source is declared outcome");
    expect(() => createScorer(task("answer_match", { granularity: "process" }))).toThrow(
      "arith.answer_match gives outcome rewards, and the source is declared process",
    );
  });
});

import { describe, expect, it } from "vitest";
import type { RewardSource } from "../../plan/plan.js";
import type { EvalAnswer } from "./events.js";
import { accuracyFigures, meanSe, passAtK, problemScores } from "./eval-figures.js";

describe("passAtK", () => {
  it("is any right answer when k = n", () => {
    expect(passAtK(4, 0, 4)).toBe(0);
    expect(passAtK(4, 1, 4)).toBe(1);
    expect(passAtK(4, 4, 4)).toBe(1);
  });

  it("is 1 - C(n-c, k) / C(n, k) when n > k, worked by hand", () => {
    // n = 5, c = 2, k = 2: C(3, 2) / C(5, 2) = 3 / 10.
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12);
    // n = 10, c = 3, k = 4: C(7, 4) / C(10, 4) = 35 / 210 = 1/6.
    expect(passAtK(10, 3, 4)).toBeCloseTo(5 / 6, 12);
    // k = 1 is the fraction right, c / n.
    expect(passAtK(8, 3, 1)).toBeCloseTo(3 / 8, 12);
    // n - c < k: every draw of k holds a right answer.
    expect(passAtK(10, 7, 4)).toBe(1);
  });

  it("is 0 with no right answer and 1 with all right, whatever n and k", () => {
    expect(passAtK(10, 0, 3)).toBe(0);
    expect(passAtK(10, 10, 3)).toBe(1);
  });

  it("stays exact where the binomials overflow a double", () => {
    // C(2000, 1000) is about 2e600. C(n-c, k) / C(n, k) is also prod_{j<c} (n-k-j) / (n-j),
    // picking the c right answers' places: a second way to the same number.
    const [n, c, k] = [2000, 10, 1000];
    let miss = 1;
    for (let j = 0; j < c; j++) miss *= (n - k - j) / (n - j);
    expect(passAtK(n, c, k)).toBeCloseTo(1 - miss, 12);
    expect(passAtK(2000, 1, 1000)).toBeCloseTo(0.5, 12);
  });

  it("refuses k above n, and counts that are not whole or not in range", () => {
    expect(() => passAtK(3, 1, 4)).toThrow(/1 <= k <= n/);
    expect(() => passAtK(3, 4, 2)).toThrow(/0 <= c <= n/);
    expect(() => passAtK(3, 1, 0)).toThrow();
    expect(() => passAtK(3.5, 1, 2)).toThrow();
  });
});

describe("meanSe", () => {
  it("is the mean and the sample standard deviation over sqrt(N), worked by hand", () => {
    // Mean 0.5; squared deviations 0.25 + 0.25 + 0.25 + 0.25 = 1; s^2 = 1/3; se = sqrt(1/3 / 4).
    const { mean, se } = meanSe([1, 0, 1, 0]);
    expect(mean).toBe(0.5);
    expect(se).toBeCloseTo(Math.sqrt(1 / 12), 12);
    // Mean 2; deviations -1, 0, 1; s^2 = 2/2 = 1; se = 1/sqrt(3).
    expect(meanSe([1, 2, 3]).se).toBeCloseTo(1 / Math.sqrt(3), 12);
  });

  it("has no standard error for one value, and 0 for values that agree", () => {
    expect(meanSe([0.7])).toEqual({ mean: 0.7, se: null });
    expect(meanSe([1, 1, 1])).toEqual({ mean: 1, se: 0 });
  });
});

const correct: RewardSource = {
  name: "lab.correct",
  granularity: "outcome",
  range: { lo: 0, hi: 1 },
  binary: true,
  source: { kind: "task", task: "arith", verifier: "answer_match", args: {} },
};

/** An answer to `problem` at `temperature` scoring `score`. */
function answer(problem: number, temperature: number, score: number): EvalAnswer {
  return { problem, temperature, prompt: `p${problem}`, response: "r", tokens: 1, steps: 1, rewards: { "lab.correct": [score] } };
}

describe("problemScores", () => {
  // Problem 0: greedy right, 1 of 3 samples right; problem 1: greedy wrong, none; problem 2:
  // greedy wrong, 3 of 3. Written out of order, as nothing promises the order of the lines.
  const answers = [
    answer(2, 1, 1),
    answer(0, 0, 1),
    answer(1, 0, 0),
    answer(2, 0, 0),
    ...[1, 0, 0].map((s) => answer(0, 1, s)),
    ...[0, 0, 0].map((s) => answer(1, 1, s)),
    answer(2, 1, 1),
    answer(2, 1, 1),
  ];

  it("gives each problem its greedy score, its mean over the k samples and pass@k, in problem order", () => {
    const scores = problemScores(answers, correct, { temperature: 1, samples: 3 });
    expect(scores?.prompts).toEqual(["p0", "p1", "p2"]);
    expect(scores?.figures.greedy).toEqual([1, 0, 0]);
    expect(scores?.figures.sampled).toEqual([1 / 3, 0, 1]);
    expect(scores?.figures.pass_at_k).toEqual([1, 0, 1]);
  });

  it("averages them over the problems, each with its standard error", () => {
    const figures = accuracyFigures(problemScores(answers, correct, { temperature: 1, samples: 3 })!);
    expect(figures.greedy?.mean).toBeCloseTo(1 / 3, 12);
    // Greedy [1, 0, 0]: s^2 = (4/9 + 1/9 + 1/9) / 2 = 1/3, se = sqrt(1/9) = 1/3.
    expect(figures.greedy?.se).toBeCloseTo(1 / 3, 12);
    expect(figures.sampled?.mean).toBeCloseTo(4 / 9, 12);
    expect(figures.pass_at_k?.mean).toBeCloseTo(2 / 3, 12);
  });

  it("has only greedy figures for a greedy eval, and no pass@k for one sample a problem", () => {
    const greedy = [answer(0, 0, 1), answer(1, 0, 0)];
    expect(problemScores(greedy, correct, { temperature: 0, samples: 1 })?.figures).toEqual({ greedy: [1, 0] });
    const once = [...greedy, answer(0, 0.7, 0), answer(1, 0.7, 1)];
    expect(problemScores(once, correct, { temperature: 0.7, samples: 1 })?.figures).toEqual({ greedy: [1, 0], sampled: [0, 1] });
  });

  it("counts an answer right only at the source's top value, and leaves out problems that lack answers", () => {
    const graded: RewardSource = { ...correct, range: { lo: -1, hi: 2 } };
    const answers = [answer(0, 0, 2), answer(1, 0, 1), answer(2, 0, 2)];
    const scores = problemScores(answers, graded, { temperature: 1, samples: 1 });
    // No problem has its sampled answer.
    expect(scores).toBeUndefined();
    expect(problemScores(answers, graded, { temperature: 0, samples: 1 })?.figures.greedy).toEqual([1, 0, 1]);
  });
});

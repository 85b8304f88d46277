import { describe, expect, it } from "vitest";
import { eventLine } from "./event-line.js";

const base = { event: "eval", time: 0, stage: "rl", step: 40, data: "test", examples: 200, tokens_per_answer: 20, steps_per_answer: 3, answers: "a" } as const;

describe("an eval's line", () => {
  it("gives an accuracy its standard error, and an eval that samples its greedy accuracy and pass@k beside it", () => {
    const sampled = {
      greedy: { mean: 0.52, se: 0.0353 },
      sampled: { mean: 0.417, se: 0.0204 },
      pass_at_k: { mean: 0.71, se: 0.032 },
    };
    expect(eventLine({ ...base, temperature: 1, samples: 8, values: { correct: 0.417, steps: 0.81 }, accuracy: { correct: sampled } })).toBe(
      "eval rl@40: correct 0.417 ± 0.020 (greedy 0.520 ± 0.035, pass@8 0.710 ± 0.032), steps 0.810 (test, 200 examples, 8 answers each at T 1)",
    );
    const greedy = { greedy: { mean: 0.47, se: 0.0353 } };
    expect(eventLine({ ...base, temperature: 0, samples: 1, values: { correct: 0.47 }, accuracy: { correct: greedy } })).toBe(
      "eval rl@40: correct 0.470 ± 0.035 (test, 200 examples)",
    );
  });

  it("reads as before for an eval recorded before evals could sample", () => {
    expect(eventLine({ ...base, values: { correct: 0.145, steps: 0.129 } })).toBe("eval rl@40: correct 0.145, steps 0.129 (test, 200 examples)");
  });
});

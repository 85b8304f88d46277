import { describe, expect, it } from "vitest";
import type { EvalEvent } from "../runtime/record/read-run.js";
import { contrastTable } from "./contrasts.js";
import type { Result } from "./lab-results.js";

/** A finished method run whose last eval has these figures (greedy = sampled + 0.1, pass@8 = sampled + 0.3). */
function run(variant: string, seed: number, sampled: number, hacked?: number): Result {
  const figure = (mean: number) => ({ mean, se: 0.01 });
  const end = {
    event: "eval",
    samples: 8,
    accuracy: { correct: { sampled: figure(sampled), greedy: figure(sampled + 0.1), pass_at_k: figure(sampled + 0.3) } },
  } as unknown as EvalEvent;
  return {
    variant,
    point: `${variant}-seed=${seed}`,
    arm: "method",
    seed,
    start: end,
    end,
    seconds: 1,
    hacked,
    scores: undefined,
    admitsControl: true,
    dir: "",
  };
}

const PURE = { finding: "min-form resists hacking", method: "pure", against: "sumform" };

describe("the papers' findings as paired contrasts", () => {
  it("pairs the two methods seed by seed and reports the mean difference ± its SE, whichever way it goes", () => {
    // pure − sumform per seed: +0.05, +0.06, +0.07 sampled; hacked 0.3 − 0.5 = −0.2 on every seed.
    const results = [
      run("pure", 1, 0.45, 0.3),
      run("sumform", 1, 0.4, 0.5),
      run("pure", 2, 0.56, 0.3),
      run("sumform", 2, 0.5, 0.5),
      run("pure", 3, 0.37, 0.3),
      run("sumform", 3, 0.3, 0.5),
    ];
    const row = contrastTable(results, [PURE]).find((line) => line.startsWith("| min-form"));
    expect(row).toBe("| min-form resists hacking | pure − sumform | 3 | +6.0 ± 0.6 shown | +6.0 ± 0.6 shown | +6.0 ± 0.6 shown | -20.0 ± 0.0 shown |");
    // The other way round, the same difference with its sign turned.
    const reversed = contrastTable(results, [{ ...PURE, method: "sumform", against: "pure" }]).find((line) => line.startsWith("| min-form"));
    expect(reversed).toContain("| -6.0 ± 0.6 shown |");
  });

  it("pairs only seeds both methods finished, and leaves out a contrast with none", () => {
    const results = [run("pure", 1, 0.5), run("sumform", 1, 0.4), run("pure", 2, 0.9), run("sumform", 3, 0.1)];
    const table = contrastTable(results, [PURE, { finding: "gate", method: "gate", against: "grpo" }]);
    expect(table.find((line) => line.startsWith("| min-form"))).toBe(
      "| min-form resists hacking | pure − sumform | 1 | +10.0 (one seed) | +10.0 (one seed) | +10.0 (one seed) | — |",
    );
    expect(table.some((line) => line.startsWith("| gate"))).toBe(false);
    expect(contrastTable(results, [{ finding: "gate", method: "gate", against: "grpo" }])).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import type { Plan } from "../../plan/plan.js";
import { readRun } from "../../runtime/record/read-run.js";
import { evaluatedRun, type ProblemAnswers, tempDir } from "../../runtime/record/testing.js";
import { pairedDifferences, warmupKey } from "./paired.js";

/** Problems with these greedy scores and these pairs of samples (k = 2). */
function problems(greedy: readonly number[], sampled: readonly (readonly [number, number])[]): ProblemAnswers[] {
  return greedy.map((g, i) => ({ greedy: g, sampled: sampled[i] }));
}

const baseline = problems(
  [1, 0, 0, 1, 0],
  [
    [1, 0],
    [0, 0],
    [0, 0],
    [1, 1],
    [0, 0],
  ],
);
const better = problems(
  [1, 1, 0, 1, 1],
  [
    [1, 1],
    [1, 0],
    [0, 0],
    [1, 1],
    [0, 1],
  ],
);

async function read(...dirs: string[]) {
  return Promise.all(dirs.map((dir) => readRun(dir, "/")));
}

describe("paired differences between runs", () => {
  it("are the mean per-problem difference and its paired standard error sd(d) / sqrt(N), worked by hand", async () => {
    const parent = tempDir();
    const runs = await read(
      evaluatedRun(parent, "sft-s1", { recipe: "sft", problems: baseline }),
      evaluatedRun(parent, "grpo-s1", { recipe: "grpo", problems: better }),
    );
    const [pair, ...others] = pairedDifferences(runs, false);
    expect(others).toEqual([]);
    expect(pair).toMatchObject({ run: "grpo-s1", baseline: "sft-s1", n: 5 });
    // Greedy d = [0, 1, 0, 0, 1]: mean 0.4, squared deviations 0.16 * 3 + 0.36 * 2 = 1.2, s^2 = 0.3, se = sqrt(0.3 / 5).
    expect(pair?.figures.greedy?.mean).toBeCloseTo(0.4, 12);
    expect(pair?.figures.greedy?.se).toBeCloseTo(Math.sqrt(0.06), 12);
    // Sampled (mean of 2) d = [0.5, 0.5, 0, 0, 0.5]: mean 0.3, s^2 = (0.04 * 3 + 0.09 * 2) / 4 = 0.075.
    expect(pair?.figures.sampled?.mean).toBeCloseTo(0.3, 12);
    expect(pair?.figures.sampled?.se).toBeCloseTo(Math.sqrt(0.075 / 5), 12);
    // pass@2 (any right) d = [0, 1, 0, 0, 1], as greedy.
    expect(pair?.figures.pass_at_k?.mean).toBeCloseTo(0.4, 12);
    expect(pair?.figures.pass_at_k?.se).toBeCloseTo(Math.sqrt(0.06), 12);
  });

  it("pair only runs with the same seed and warm-up, on the same prompts", async () => {
    const parent = tempDir();
    const longerWarmup = (plan: Plan): Plan => ({ ...plan, stages: plan.stages.map((s, i) => (i === 0 ? { ...s, batch: 4 } : s)) });
    const renamedWarmup = (plan: Plan): Plan => ({ ...plan, stages: plan.stages.map((s, i) => (i === 0 ? { ...s, name: "lab.warmup", eval: null } : s)) });
    const runs = await read(
      evaluatedRun(parent, "base", { recipe: "sft", problems: baseline }),
      evaluatedRun(parent, "other-seed", { recipe: "grpo", seed: 2, problems: better }),
      evaluatedRun(parent, "other-warmup", { recipe: "grpo", problems: better, plan: longerWarmup }),
      evaluatedRun(parent, "fewer-problems", { recipe: "grpo", problems: better.slice(0, 4) }),
      evaluatedRun(parent, "renamed", { recipe: "grpo", problems: better, plan: renamedWarmup }),
    );
    // A warm-up's name and eval block change nothing it trains.
    expect(pairedDifferences(runs, false).map((p) => [p.run, p.baseline])).toEqual([["renamed", "base"]]);
    expect(warmupKey(runs[0]!.plan)).toBe(warmupKey(runs[4]!.plan));
    expect(warmupKey(runs[0]!.plan)).not.toBe(warmupKey(runs[1]!.plan));
  });

  it("compare sampled accuracy and pass@k only between evals at the same temperature and k", async () => {
    const parent = tempDir();
    const runs = await read(
      evaluatedRun(parent, "t1", { recipe: "a", problems: baseline }),
      evaluatedRun(parent, "t07", { recipe: "b", problems: better, temperature: 0.7 }),
      evaluatedRun(parent, "greedy", { recipe: "c", problems: better.map(({ greedy }) => ({ greedy })), temperature: 0 }),
    );
    const pairs = pairedDifferences(runs, false);
    expect(pairs.map((p) => [p.run, p.baseline, Object.keys(p.figures)])).toEqual([
      ["t07", "t1", ["greedy"]],
      ["greedy", "t1", ["greedy"]],
      ["greedy", "t07", ["greedy"]],
    ]);
    expect(pairs[2]?.figures.greedy).toEqual({ mean: 0, se: 0 });
  });

  it("with --group, are the mean over seeds of each seed's mean difference, with the standard error over seeds", async () => {
    const parent = tempDir();
    // Greedy differences by seed: +0.4 (seed 1), +0.2 (seed 2), 0 (seed 3, equal answers).
    const halfBetter = problems(
      [1, 1, 0, 1, 0],
      [
        [1, 0],
        [0, 0],
        [0, 0],
        [1, 1],
        [0, 0],
      ],
    );
    const runs = await read(
      ...[1, 2, 3].map((seed) => evaluatedRun(parent, `sft-s${seed}`, { recipe: "sft", seed, problems: baseline })),
      evaluatedRun(parent, "grpo-s1", { recipe: "grpo", seed: 1, problems: better }),
      evaluatedRun(parent, "grpo-s3", { recipe: "grpo", seed: 3, problems: baseline }),
      evaluatedRun(parent, "grpo-s2", { recipe: "grpo", seed: 2, problems: halfBetter }),
      evaluatedRun(parent, "grpo-s4", { recipe: "grpo", seed: 4, problems: better }),
    );
    const [pair, ...others] = pairedDifferences(runs, true);
    expect(others).toEqual([]);
    // Seed 4 has no sft run to pair with.
    expect(pair).toMatchObject({ run: "grpo", baseline: "sft", n: 3 });
    // Mean 0.2; deviations 0.2, 0, -0.2: s^2 = 0.08 / 2 = 0.04, se = 0.2 / sqrt(3).
    expect(pair?.figures.greedy?.mean).toBeCloseTo(0.2, 12);
    expect(pair?.figures.greedy?.se).toBeCloseTo(0.2 / Math.sqrt(3), 12);
  });
});

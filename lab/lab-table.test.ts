import { describe, expect, it } from "vitest";
import type { EvalEvent } from "../runtime/record/read-run.js";
import type { Arm, Result } from "./lab-results.js";
import { labTable, type Task } from "./lab-table.js";

/** An eval whose sampled, greedy and pass@8 accuracies are all `mean`. */
function evalOf(stage: string, mean: number): EvalEvent {
  const figure = { mean, se: 0.01 };
  return {
    event: "eval",
    stage,
    samples: 8,
    values: { "eval/correct": mean },
    accuracy: { correct: { sampled: figure, greedy: figure, pass_at_k: figure } },
  } as unknown as EvalEvent;
}

function result(variant: string, arm: Arm, seed: number, start: number, end: number): Result {
  return {
    variant,
    point: `${variant}-seed=${seed}`,
    arm,
    seed,
    start: evalOf("warmup", start),
    end: evalOf(arm === "warmup" ? "warmup" : "rl", end),
    seconds: 1,
    hacked: undefined,
    scores: undefined,
    admitsControl: true,
    dir: "",
  };
}

const TASK: Task = { title: "t", warmup: "sft", sft: "sft_more", methods: ["grpo"], contrasts: [] };
const row = (table: string) => table.split("\n").find((line) => line.startsWith("| grpo |"));

describe("the lab's table", () => {
  it("takes each seed's warm-up from its warm-up point and pairs each method with its seed's control and SFT continuation", () => {
    const results = [1, 2, 3].flatMap((seed) => [
      result("sft", "warmup", seed, 0.5, 0.5),
      result("grpo", "method", seed, 0.5, 0.5 + seed / 100),
      result("grpo", "control", seed, 0.5, 0.4),
      result("sft_more", "sft", seed, 0.5, 0.55),
    ]);
    // Over the warm-up +1, +2, +3 points; over the control +11, +12, +13; over the SFT continuation -4, -3, -2.
    expect(row(labTable(results, TASK))).toBe("| grpo | 3 | 50.0 | 52.0 | +2.0 ± 0.6 shown | +12.0 ± 0.6 shown | -3.0 ± 0.6 shown | 1 (1) |");
  });

  it("leaves a run that did not start from its seed's warm-up out of the gain over it, and names it", () => {
    const results = [1, 2, 3].flatMap((seed) => [result("sft", "warmup", seed, 0.5, 0.5), result("grpo", "method", seed, seed === 3 ? 0.2 : 0.5, 0.6)]);
    const table = labTable(results, TASK);
    expect(row(table)).toMatch(/^\| grpo \| 3 \| 50\.0 \| 60\.0 \| \+10\.0 ± 0\.0 shown \|/);
    expect(table).toContain("Not started from their seed's warm-up (sft), so left out of the gain over it: grpo-seed=3.");
  });
});

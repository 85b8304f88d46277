import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScorer } from "./create-scorer.js";
import { rewardSource, sample, tableModel } from "./testing.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "roux-create-scorer-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("createScorer", () => {
  it("scores each kind of source through its scorer", async () => {
    const module = join(dir, "reward.mjs");
    await writeFile(module, "export const half = () => 0.5;");
    const model = join(dir, "model.onnx");
    // Every token: P(class 1) = 1/2.
    await writeFile(model, tableModel(Array.from({ length: 128 }, () => [0, 0])));
    const cases = [
      [rewardSource({ kind: "exact_match", extract: "= (\\d+)" }), [1]],
      [rewardSource({ kind: "numeric_match", extract: "= (\\d+)", tol: 0.5 }), [1]],
      [rewardSource({ kind: "regex_match", pattern: "^\\d" }), [1]],
      [rewardSource({ kind: "js", path: module, export: "half", range: { lo: 0, hi: 1 } }), [0.5]],
      [rewardSource({ kind: "onnx", path: model, input: "input_ids", output: "probs", positive: 1, steps: "\n" }, { granularity: "process" }), [0.5, 0.5]],
    ] as const;
    for (const [source, expected] of cases) {
      const scorer = createScorer(source, { js: { timeLimitMs: 1000 } });
      try {
        const result = await scorer.score([sample("1+1\n= 2", { answer: "2" })]);
        expect(result.failures, source.source.kind).toEqual([]);
        expect(Array.from(result.values[0] ?? []), source.source.kind).toEqual(expected);
      } finally {
        await scorer.close();
      }
    }
  });

  it("scores a standard task's verifiers through the task's scorer (runtime/tasks)", async () => {
    const source = rewardSource({ kind: "task", task: "arith", verifier: "answer_match", args: {} }, { name: "correct" });
    const scorer = createScorer(source);
    const result = await scorer.score([
      sample("7+5=12\nanswer: 12", { prompt: "7+5\n", answer: "12" }),
      sample("answer: 13", { prompt: "7+5\n", answer: "12" }),
    ]);
    expect(result.failures).toEqual([]);
    expect(result.values.map((v) => Array.from(v))).toEqual([[1], [0]]);
    const steps = createScorer(rewardSource({ kind: "task", task: "arith", verifier: "step_check", args: {} }, { granularity: "process" }));
    const stepResult = await steps.score([sample("7+5=12\nanswer: 12", { prompt: "7+5\n" })]);
    expect(stepResult.values.map((v) => Array.from(v))).toEqual([[1, 1]]);
    await scorer.close();
    await steps.close();
  });

  it("refuses an unknown task verifier when the scorer is made", () => {
    const source = rewardSource({ kind: "task", task: "arith", verifier: "proof_check", args: {} }, { name: "correct" });
    expect(() => createScorer(source)).toThrow("reward source `correct`: `arith` has no verifier `proof_check`");
  });
});

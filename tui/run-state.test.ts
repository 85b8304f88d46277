import { describe, expect, it } from "vitest";
import type { AccuracyFigures } from "../runtime/record/eval-figures.js";
import type { RunEvent, StageSummary } from "../runtime/record/events.js";
import { EVAL_ACCURACY, EVAL_GREEDY, EVAL_PASS_AT_K } from "./metrics.js";
import { RunModel } from "./run-state.js";
import { recordedModel } from "./testing.js";

const STAGES: StageSummary[] = [
  { name: "warmup", kind: "sft", steps: 4 },
  { name: "rl", kind: "rl", steps: 10 },
];
const accuracyIsCorrect = (labels: readonly string[]) => labels.find((label) => label === "correct");
const START: RunEvent = { event: "run_start", time: 0, recipe: "r", hash: "sha256:00", dir: "d", backend: "b", sampler: "s", stages: STAGES, pid: 1 };

describe("the run model", () => {
  it("places each stage as done, current or next, with its step and time", async () => {
    const view = (await recordedModel()).view();
    expect(view.recipe).toBe("arith_chord");
    expect(view.status).toBe("running");
    expect(view.stages.map((s) => [s.name, s.state, s.step])).toEqual([
      ["lab.warmup", "done", 1200],
      ["rl", "current", 12],
    ]);
    expect(view.stages[0]?.seconds).toBeCloseTo(231.4, 0);
  });

  it("paces the current stage from the records' own times", () => {
    const model = new RunModel("d");
    model.event(START);
    model.event({ event: "stage_start", time: 0, stage: "warmup", kind: "sft", steps: 4 });
    model.metrics({ stage: "warmup", step: 1, time: 10, loss: 2 });
    model.metrics({ stage: "warmup", step: 3, time: 14, loss: 1 });
    expect(model.view().progress).toEqual({ stage: "warmup", step: 3, total: 4, secondsPerStep: 2, secondsLeft: 2 });
  });

  it("keeps each curve to its stage, but the eval accuracy across stages", () => {
    const model = new RunModel("d", accuracyIsCorrect);
    model.event(START);
    model.metrics({ stage: "warmup", step: 1, time: 1, loss: 2 });
    model.event({
      event: "eval",
      time: 2,
      stage: "warmup",
      step: 1,
      data: "t",
      examples: 5,
      values: { correct: 0.2 },
      tokens_per_answer: 1,
      steps_per_answer: 1,
      answers: "a",
    });
    model.metrics({ stage: "rl", step: 1, time: 3, loss: 0.1, reward: 0.5, kl: Number.NaN });
    const { series } = model.view();
    expect(series.loss).toEqual([0.1]);
    expect(series.reward).toEqual([0.5]);
    expect(series.kl).toBeUndefined();
    expect(series[EVAL_ACCURACY]).toEqual([0.2]);
  });

  it("draws greedy accuracy and pass@k beside the accuracy when an eval samples, across stages", () => {
    const model = new RunModel("d", accuracyIsCorrect);
    model.event(START);
    const evalAt = (stage: string, time: number, correct: number, accuracy: AccuracyFigures, temperature: number) =>
      model.event({
        ...{ event: "eval", time, stage, step: 1, data: "t", examples: 5, temperature, samples: 4, values: { correct }, accuracy: { correct: accuracy } },
        ...{ tokens_per_answer: 1, steps_per_answer: 1, answers: "a" },
      });
    const se = 0.01;
    evalAt("warmup", 1, 0.5, { greedy: { mean: 0.5, se } }, 0);
    evalAt("warmup", 2, 0.3, { greedy: { mean: 0.6, se }, sampled: { mean: 0.3, se }, pass_at_k: { mean: 0.7, se } }, 1);
    model.metrics({ stage: "rl", step: 1, time: 3, loss: 0.1 });
    evalAt("rl", 4, 0.4, { greedy: { mean: 0.65, se }, sampled: { mean: 0.4, se }, pass_at_k: { mean: 0.75, se } }, 1);
    const { series } = model.view();
    expect(series[EVAL_ACCURACY]).toEqual([0.5, 0.3, 0.4]);
    // A greedy eval's greedy accuracy is its accuracy: no second curve for it.
    expect(series[EVAL_GREEDY]).toEqual([0.6, 0.65]);
    expect(series[EVAL_PASS_AT_K]).toEqual([0.7, 0.75]);
  });

  it("records a failed run with its error, in the log too", () => {
    const model = new RunModel("d");
    model.event(START);
    model.event({ event: "error", time: 5, stage: "rl", step: 3, node: "loss", message: "the loss is NaN" });
    model.event({ event: "run_end", time: 5, status: "failed" });
    const view = model.view();
    expect(view.status).toBe("failed");
    expect(view.error).toBe("the loss is NaN");
    expect(view.log.filter((e) => e.tone === "error").map((e) => e.text)).toEqual(["error in stage rl, step 3: the loss is NaN"]);
  });

  it("reads the metrics again after a resume rewrote them, and a resume revives a killed run", () => {
    const model = new RunModel("d");
    model.event(START);
    model.metrics({ stage: "warmup", step: 1, time: 1, loss: 2 });
    model.metrics({ stage: "warmup", step: 2, time: 2, loss: 1 });
    model.processGone(3, "gone");
    expect(model.view().gone).toBe(true);
    model.event({ event: "resume", time: 4, from: { stage: 0, stageName: "warmup", step: 1 }, checkpoint: "c", droppedMetrics: 1, stages: STAGES, pid: 2 });
    model.metricsRestarted();
    model.metrics({ stage: "warmup", step: 1, time: 1, loss: 2 });
    const view = model.view();
    expect(view.gone).toBe(false);
    expect(view.pid).toBe(2);
    expect(view.series.loss).toEqual([2]);
    expect(view.progress?.step).toBe(1);
  });
});

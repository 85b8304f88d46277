/** For the UI's tests: the recorded run of test/fixtures/runs/ as a RunModel, and a screen of it. */
import path from "node:path";
import { isMetricsRecord, isRunEvent } from "../runtime/run/events.js";
import { readJsonl } from "../runtime/run/jsonl-log.js";
import { REPO_ROOT } from "../test/recipes.js";
import { RunModel } from "./run-state.js";

export const RECORDED_RUN = path.join(REPO_ROOT, "test", "fixtures", "runs", "arith_chord-20261203-114542");

/** The eval accuracy of the recorded run: its `correct` label (cli/compare/accuracy.ts picks it from the plan). */
export const recordedAccuracy = (values: Record<string, number>) => values.correct;

/** The recorded run replayed in the order it was written: events by time, each step's metrics line first. */
export async function recordedModel(): Promise<RunModel> {
  const model = new RunModel("runs/arith_chord-20261203-114542", recordedAccuracy);
  const events = (await readJsonl(path.join(RECORDED_RUN, "events.jsonl"))).records.filter(isRunEvent);
  const metrics = (await readJsonl(path.join(RECORDED_RUN, "metrics.jsonl"))).records.filter(isMetricsRecord);
  const lines = [...events.map((e) => ({ time: e.time, apply: () => model.event(e) })), ...metrics.map((r) => ({ time: r.time, apply: () => model.metrics(r) }))];
  for (const line of lines.sort((a, b) => a.time - b.time)) line.apply();
  return model;
}

/** For the UI's tests: the recorded run of test/fixtures/runs/ as a RunModel, and a screen of it. */
import { promises as fs } from "node:fs";
import path from "node:path";
import { RunFollower } from "../runtime/record/follow-run.js";
import { REPO_ROOT } from "../test/recipes.js";
import { RunModel } from "./run-state.js";

export const RECORDED_RUN = path.join(REPO_ROOT, "test", "fixtures", "runs", "arith_chord-20261203-114542");

/** The eval accuracy of the recorded run: its `correct` label (plan/eval-accuracy.ts picks it from the plan). */
export const recordedAccuracy = (labels: readonly string[]) => labels.find((label) => label === "correct");

/** The recorded run as the UI's follower reads it. */
export async function recordedModel(): Promise<RunModel> {
  const model = new RunModel("runs/arith_chord-20261203-114542", recordedAccuracy);
  await new RunFollower(RECORDED_RUN, model).poll();
  return model;
}

/** A copy of the recorded run under `parent`, as `name`, with `events` appended to its events.jsonl. */
export async function copyRecordedRun(parent: string, name: string, events: readonly object[] = []): Promise<string> {
  const dir = path.join(parent, name);
  await fs.cp(RECORDED_RUN, dir, { recursive: true });
  await fs.appendFile(path.join(dir, "events.jsonl"), events.map((e) => `${JSON.stringify(e)}\n`).join(""));
  return dir;
}

/** The recorded run's last time, for events that come after it. */
export const RECORDED_END = 1796298590;

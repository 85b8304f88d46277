/**
 * `roux watch` when stdout is not a terminal: the run's lines as `roux run` prints them
 * (progress.ts), what is recorded first, then as they are written, until the run ends or its
 * process is gone. Exit status as `roux run`'s: 0 done or stopped, 1 failed or killed.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { POLL_MS, RunFollower, type FollowListener } from "../../runtime/record/follow-run.js";
import { METRICS_FILE } from "../../runtime/record/layout.js";
import type { Io } from "../io.js";
import { ProgressPrinter } from "./progress.js";

export async function followPlain(io: Io, dir: string): Promise<number> {
  const printer = new ProgressPrinter((line) => io.stdout.write(`${line}\n`));
  const listener: FollowListener = {
    event: (e) => printer.event(e),
    metrics: (r) => printer.metrics(r),
    metricsRestarted: () => io.stdout.write(`${METRICS_FILE} was rewritten by a resume; following it from its start\n`),
    skipped: (message) => io.stderr.write(`warning: ${message}\n`),
    processGone: (_time, message) => io.stderr.write(`error: ${message}\n`),
  };
  const follower = new RunFollower(dir, listener);
  await follower.poll();
  if (follower.state.status === "running" && follower.state.writer === undefined) {
    io.stderr.write("note: this run names no process (it was recorded before runs did), so a killed one looks unfinished: following it until Ctrl-C\n");
  }
  while (!follower.finished) {
    await sleep(POLL_MS);
    await follower.poll();
  }
  return follower.state.writerGone || follower.state.status === "failed" ? 1 : 0;
}

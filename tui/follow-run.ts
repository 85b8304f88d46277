/**
 * Follows a run directory as another process writes it: events.jsonl, then metrics.jsonl, read
 * for their new whole lines and fed to the RunModel. A line that is not a record is skipped,
 * with a note in the log. While the run has no run_end, the process its run_start or resume
 * names is checked: gone means the run was killed or crashed.
 */
import path from "node:path";
import { isMetricsRecord, isRunEvent, now } from "../runtime/run/events.js";
import { JsonlFollower } from "../runtime/run/jsonl-follow.js";
import type { RunModel } from "./run-state.js";

export class RunFollower {
  private readonly events: JsonlFollower;
  private readonly metrics: JsonlFollower;

  constructor(
    dir: string,
    private readonly model: RunModel,
  ) {
    this.events = new JsonlFollower(path.join(dir, "events.jsonl"));
    this.metrics = new JsonlFollower(path.join(dir, "metrics.jsonl"));
  }

  /** Reads what was added since the last poll; true when there was anything. */
  async poll(): Promise<boolean> {
    // Events first: a metrics line is only written after the stage_start it belongs to.
    const events = await this.events.read();
    for (const record of events.records) if (isRunEvent(record)) this.model.event(record);
    this.skipped("events.jsonl", events.badLines);
    const metrics = await this.metrics.read();
    if (metrics.restarted) this.model.metricsRestarted();
    for (const record of metrics.records) if (isMetricsRecord(record)) this.model.metrics(record);
    this.skipped("metrics.jsonl", metrics.badLines);
    const view = this.model.view();
    let gone = false;
    if (view.status === "running" && !view.gone && view.pid !== undefined && !processAlive(view.pid)) {
      this.model.processGone(now(), `the run's process ${view.pid} is gone without a run_end: it was killed or crashed`);
      gone = true;
    }
    return events.records.length + metrics.records.length + events.badLines.length + metrics.badLines.length > 0 || metrics.restarted || gone;
  }

  private skipped(file: string, lines: number[]): void {
    if (lines.length > 0) this.model.note(now(), `${file}: skipped line ${lines.join(", ")}, not a JSON object`);
  }
}

/** Whether a process of this machine has that id (one of another user's counts: EPERM). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

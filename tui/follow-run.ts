/**
 * Follows a run directory as another process writes it: events.jsonl, then metrics.jsonl, read
 * for their new whole lines and handed to a listener (the UI's RunModel, or `roux watch`'s
 * plain lines). A line that is not a record is skipped and reported. While the run has no
 * run_end, the process its last run_start or resume names is checked: gone means the run was
 * killed or crashed.
 */
import path from "node:path";
import { isMetricsRecord, isRunEvent, now, type MetricsRecord, type RunEvent } from "../runtime/run/events.js";
import { JsonlFollower } from "../runtime/run/jsonl-follow.js";

/** How often a follower looks for new lines: often enough to look live, rarely enough to cost nothing beside training. */
export const POLL_MS = 250;

export interface FollowListener {
  event(e: RunEvent): void;
  metrics(r: MetricsRecord): void;
  /** metrics.jsonl was rewritten (a resume dropped the steps after its checkpoint); it is read again. */
  metricsRestarted(): void;
  skipped(message: string): void;
  processGone(time: number, message: string): void;
}

export class RunFollower {
  private readonly events: JsonlFollower;
  private readonly metrics: JsonlFollower;
  private pid: number | undefined;
  private ended = false;
  private gone = false;

  constructor(
    dir: string,
    private readonly listener: FollowListener,
  ) {
    this.events = new JsonlFollower(path.join(dir, "events.jsonl"));
    this.metrics = new JsonlFollower(path.join(dir, "metrics.jsonl"));
  }

  /** The process writing the run, when its run_start or resume names one. */
  get writer(): number | undefined {
    return this.pid;
  }

  /** The run has ended, by its run_end or by its process dying: nothing more will be written. */
  get finished(): boolean {
    return this.ended || this.gone;
  }

  /**
   * Reads what was added since the last poll and hands it over in the order it was written (by
   * time, across the two files); true when there was anything.
   */
  async poll(): Promise<boolean> {
    const events = await this.events.read();
    const metrics = await this.metrics.read();
    if (metrics.restarted) this.listener.metricsRestarted();
    const lines = [
      ...metrics.records.filter(isMetricsRecord).map((r) => ({ time: r.time, hand: () => this.listener.metrics(r) })),
      ...events.records.filter(isRunEvent).map((e) => ({ time: e.time, hand: () => this.event(e) })),
    ];
    // A stable sort: a metrics line and an event of the same millisecond keep that order.
    for (const line of lines.sort((a, b) => a.time - b.time)) line.hand();
    this.skip("events.jsonl", events.badLines);
    this.skip("metrics.jsonl", metrics.badLines);
    const died = !this.finished && this.pid !== undefined && !processAlive(this.pid);
    if (died) {
      this.gone = true;
      this.listener.processGone(now(), `the run's process ${this.pid} is gone without a run_end: it was killed or crashed`);
    }
    return lines.length + events.badLines.length + metrics.badLines.length > 0 || metrics.restarted || died;
  }

  private event(e: RunEvent): void {
    if (e.event === "run_start" || e.event === "resume") {
      this.pid = e.pid;
      this.ended = false;
      this.gone = false;
    }
    if (e.event === "run_end") this.ended = true;
    this.listener.event(e);
  }

  private skip(file: string, lines: number[]): void {
    if (lines.length > 0) this.listener.skipped(`${file}: skipped line ${lines.join(", ")}, not a JSON object`);
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

/**
 * Follows a run directory as another process writes it: events.jsonl, then metrics.jsonl, read
 * for their new whole lines and handed to a listener (the UI's RunModel, or `roux watch`'s
 * plain lines). A line that is not a record is skipped and reported. While the run's latest
 * attempt has no run_end, the process its start names is checked: gone means the run was
 * killed or crashed.
 */
import path from "node:path";
import { isMetricsRecord, isRunEvent, now, type MetricsRecord, type RunEvent } from "./events.js";
import { JsonlFollower } from "./jsonl-follow.js";
import { EVENTS_FILE, METRICS_FILE } from "./layout.js";
import { afterEvent, afterWriterGone, hasEnded, NOT_STARTED, writerLiveness, type RunState } from "./status.js";

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
  private current: RunState = NOT_STARTED;

  constructor(
    dir: string,
    private readonly listener: FollowListener,
  ) {
    this.events = new JsonlFollower(path.join(dir, EVENTS_FILE));
    this.metrics = new JsonlFollower(path.join(dir, METRICS_FILE));
  }

  /** The run as its events so far say, and whether its writer is gone (status.ts). */
  get state(): RunState {
    return this.current;
  }

  /** The run has ended, by its run_end or by its process dying: nothing more will be written. */
  get finished(): boolean {
    return hasEnded(this.current.status) || this.current.writerGone;
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
    this.skip(EVENTS_FILE, events.badLines);
    this.skip(METRICS_FILE, metrics.badLines);
    const died = !this.finished && writerLiveness(this.current) === "gone";
    if (died) {
      this.current = afterWriterGone(this.current);
      this.listener.processGone(now(), `the run's process ${this.current.writer} is gone without a run_end: it was killed or crashed`);
    }
    return lines.length + events.badLines.length + metrics.badLines.length > 0 || metrics.restarted || died;
  }

  private event(e: RunEvent): void {
    this.current = afterEvent(this.current, e);
    this.listener.event(e);
  }

  private skip(file: string, lines: number[]): void {
    if (lines.length > 0) this.listener.skipped(`${file}: skipped line ${lines.join(", ")}, not a JSON object`);
  }
}

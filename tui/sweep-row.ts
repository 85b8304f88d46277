/**
 * One point of a sweep as its screen (sweep-screen.tsx), `roux sweep --no-tui` and `roux watch
 * SWEEP_DIR` show it: its status, the steps done of all its stages, and its current metric
 * (the training reward of an RL stage, the loss of an SFT stage). Followed from the point's run
 * directory like any run (runtime/record/follow-run.ts), so a sweep of this process, of another
 * one, finished or killed looks the same.
 */
import type { MetricsRecord, RunEvent } from "../runtime/record/events.js";
import { type FollowListener, RunFollower } from "../runtime/record/follow-run.js";
import { hasEnded } from "../runtime/record/status.js";
import { fixed } from "./figures.js";

/**
 * `pending`: no run yet. `killed`: its process is gone without a run_end. The others are the
 * run's own status (runtime/record/status.ts).
 */
export type PointStatus = "pending" | "starting" | "running" | "done" | "failed" | "stopped" | "killed";

export interface SweepRow {
  readonly name: string;
  readonly status: PointStatus;
  /** Steps done over all stages, and of how many. */
  readonly step: number;
  readonly total: number;
  /** `reward 0.512`, `loss 1.204`; undefined before the first step. */
  readonly metric?: string;
  /** How many of its stages, from the first, have ended. */
  readonly stagesEnded: number;
}

/** The metric a point's line shows, the first a record has. */
const SHOWN = ["reward", "loss"] as const;

export class PointFollower implements FollowListener {
  private readonly follower: RunFollower;
  private last: MetricsRecord | undefined;
  private readonly ended = new Set<string>();
  /** Messages for the sweep's log: a skipped line, a process gone. */
  readonly notes: string[] = [];

  constructor(
    readonly name: string,
    readonly dir: string,
  ) {
    this.follower = new RunFollower(dir, this);
  }

  poll(): Promise<boolean> {
    return this.follower.poll();
  }

  /** Nothing more will be written: its run_end is there, or its process is gone. */
  get finished(): boolean {
    return this.follower.finished;
  }

  row(): SweepRow {
    const state = this.follower.state;
    const stages = state.stages;
    const status: PointStatus = state.writerGone && !hasEnded(state.status) ? "killed" : state.status;
    const total = stages.reduce((sum, s) => sum + s.steps, 0);
    let stagesEnded = 0;
    while (stagesEnded < stages.length && this.ended.has(stages[stagesEnded]!.name)) stagesEnded++;
    const at = stages.findIndex((s) => s.name === this.last?.stage);
    const step = this.last === undefined || at < 0 ? 0 : stages.slice(0, at).reduce((sum, s) => sum + s.steps, 0) + this.last.step;
    const key = SHOWN.find((k) => typeof this.last?.[k] === "number");
    const metric = key === undefined ? undefined : `${key} ${fixed(this.last![key] as number)}`;
    return { name: this.name, status, step, total, metric, stagesEnded };
  }

  event(e: RunEvent): void {
    if (e.event === "stage_end") this.ended.add(e.stage);
  }

  metrics(r: MetricsRecord): void {
    this.last = r;
  }

  metricsRestarted(): void {
    this.last = undefined;
  }

  skipped(message: string): void {
    this.notes.push(`${this.name}: ${message}`);
  }

  processGone(_time: number, message: string): void {
    this.notes.push(`${this.name}: ${message}`);
  }
}

/** A point with no run directory yet. */
export function pendingRow(name: string): SweepRow {
  return { name, status: "pending", step: 0, total: 0, stagesEnded: 0 };
}

/**
 * What the terminal UI shows of a run, built from its events and metrics records in the order
 * they were written, whether they arrive from the runner or from following the run directory.
 * `view()` is an immutable snapshot for rendering.
 *
 * Curves are of the current stage only (an SFT loss and an RL loss are not one curve), except
 * the eval curves, which are comparable across stages.
 */
import type { FollowListener } from "../runtime/record/follow-run.js";
import { afterEvent, afterWriterGone, NOT_STARTED, type RunState, type RunStatus } from "../runtime/record/status.js";
import { now, type MetricsRecord, type RunEvent, type StageSummary } from "../runtime/record/events.js";
import { eventLine } from "./event-line.js";
import { EVAL_ACCURACY, EVAL_GREEDY, EVAL_PASS_AT_K, isEvalCurve, METRICS } from "./metrics.js";
import { StagePace } from "./stage-pace.js";

/** More points than the widest terminal has columns. */
const KEPT_POINTS = 400;

export type StageState = "done" | "current" | "next";

export interface StageLine extends StageSummary {
  readonly state: StageState;
  /** Steps done so far. */
  readonly step: number;
  /** A finished stage's time, from its stage_end. */
  readonly seconds?: number;
}

export interface Progress {
  readonly stage: string;
  readonly step: number;
  readonly total: number;
  readonly secondsPerStep: number;
  readonly secondsLeft: number;
}

export interface LogEntry {
  /** Stable and increasing: `<Static>` prints each entry once. */
  readonly id: number;
  readonly time: number;
  readonly text: string;
  readonly tone: "info" | "warning" | "error";
}

export interface RunView {
  readonly dir: string;
  readonly recipe?: string;
  readonly hash?: string;
  /** The process writing the run, from its last run_start or resume. */
  readonly pid?: number;
  readonly status: RunStatus;
  readonly error?: string;
  /** The writing process exited without a run_end: it was killed, or crashed. */
  readonly gone: boolean;
  readonly stages: readonly StageLine[];
  readonly progress?: Progress;
  readonly series: Readonly<Record<string, readonly number[]>>;
  readonly log: readonly LogEntry[];
}

export class RunModel implements FollowListener {
  private recipe?: string;
  private hash?: string;
  private state: RunState = NOT_STARTED;
  private readonly stepOf = new Map<string, number>();
  private readonly secondsOf = new Map<string, number>();
  private current?: string;
  private progress?: Progress;
  private readonly pace = new StagePace();
  private series: Record<string, number[]> = {};
  private readonly log: LogEntry[] = [];

  constructor(
    private readonly dir: string,
    /** Which of an eval's labels is its accuracy (plan/eval-accuracy.ts `accuracyLabel`, given the run's plan). */
    private readonly accuracyLabel: (labels: readonly string[]) => string | undefined = () => undefined,
  ) {}

  event(e: RunEvent): void {
    this.state = afterEvent(this.state, e);
    switch (e.event) {
      case "run_start":
        this.recipe = e.recipe;
        this.hash = e.hash;
        break;
      case "resume":
        this.pace.restart();
        break;
      case "stage_start":
        this.enter(e.stage);
        break;
      case "stage_end":
        this.stepOf.set(e.stage, e.steps);
        this.secondsOf.set(e.stage, e.seconds);
        break;
      case "eval": {
        const label = this.accuracyLabel(Object.keys(e.values));
        const accuracy = label === undefined ? undefined : e.values[label];
        if (accuracy !== undefined) push(this.series, EVAL_ACCURACY, accuracy);
        // Greedy is a curve of its own only when the eval samples: otherwise it is the accuracy.
        const figures = label === undefined ? undefined : e.accuracy?.[label];
        if (figures?.sampled && figures.greedy) push(this.series, EVAL_GREEDY, figures.greedy.mean);
        if (figures?.pass_at_k) push(this.series, EVAL_PASS_AT_K, figures.pass_at_k.mean);
        break;
      }
    }
    this.note(e.time, eventLine(e), e.event === "error" ? "error" : e.event === "warning" || e.event === "cache_rejected" ? "warning" : "info");
  }

  metrics(r: MetricsRecord): void {
    this.enter(r.stage);
    this.stepOf.set(r.stage, r.step);
    const total = this.state.stages.find((s) => s.name === r.stage)?.steps ?? r.step;
    const pace = this.pace.observe(r, total);
    this.progress = { stage: r.stage, step: r.step, total, secondsPerStep: pace.secondsPerStep, secondsLeft: pace.secondsLeft };
    for (const { key } of METRICS) {
      const value = r[key];
      if (typeof value === "number" && Number.isFinite(value)) push(this.series, key, value);
    }
  }

  /** metrics.jsonl was rewritten (a resume dropped the steps after its checkpoint): it is read again. */
  metricsRestarted(): void {
    this.current = undefined;
    this.progress = undefined;
    this.pace.restart();
    this.keepOnlyEvalCurves();
  }

  /** The writing process is gone while the run has no run_end. */
  processGone(time: number, message: string): void {
    this.state = afterWriterGone(this.state);
    this.note(time, message, "error");
  }

  /** A line of a run file that is not a record. */
  skipped(message: string): void {
    this.note(now(), message, "warning");
  }

  view(): RunView {
    const currentIndex = this.state.stages.findIndex((s) => s.name === this.current);
    const stages = this.state.stages.map((s, i): StageLine => {
      const finished = this.secondsOf.has(s.name);
      const state: StageState = finished ? "done" : i === currentIndex ? "current" : "next";
      return { ...s, state, step: this.stepOf.get(s.name) ?? 0, seconds: this.secondsOf.get(s.name) };
    });
    const series = Object.fromEntries(Object.entries(this.series).map(([key, values]) => [key, values.slice()]));
    const { status, writer: pid, error, writerGone: gone } = this.state;
    const { dir, recipe, hash, progress } = this;
    return { dir, recipe, hash, pid, status, error, gone, stages, progress, series, log: this.log.slice() };
  }

  private enter(stage: string): void {
    if (stage === this.current) return;
    this.current = stage;
    this.keepOnlyEvalCurves();
  }

  private keepOnlyEvalCurves(): void {
    this.series = Object.fromEntries(Object.entries(this.series).filter(([key]) => isEvalCurve(key)));
  }

  private note(time: number, text: string, tone: LogEntry["tone"]): void {
    this.log.push({ id: this.log.length, time, text, tone });
  }
}

function push(series: Record<string, number[]>, key: string, value: number): void {
  const values = series[key] ?? [];
  series[key] = values;
  values.push(value);
  if (values.length > KEPT_POINTS) values.splice(0, values.length - KEPT_POINTS);
}

/**
 * Plain progress for `roux run` when stdout is not a terminal (docs/architecture.md "roux run (not a
 * terminal)"): a line per metrics record at most every `interval` seconds, and always for a
 * stage's first and last step, and one line per event. Readable by eye and by grep.
 */
import { afterEvent, NOT_STARTED, type RunState } from "../../runtime/record/status.js";
import type { MetricsRecord, RunEvent } from "../../runtime/record/events.js";
import { clock } from "../../tui/clock.js";
import { eventLine } from "../../tui/event-line.js";
import { fixed, tokenRate } from "../../tui/figures.js";
import { StagePace } from "../../tui/stage-pace.js";

export class ProgressPrinter {
  /** The run as its events so far say (its latest start lists the stages the lines count in). */
  private state: RunState = NOT_STARTED;
  private readonly pace = new StagePace();
  private lastPrint = 0;

  constructor(
    private readonly write: (line: string) => void,
    private readonly interval = 1,
  ) {}

  event(e: RunEvent): void {
    this.state = afterEvent(this.state, e);
    this.write(eventLine(e));
  }

  metrics(r: MetricsRecord): void {
    const { stages } = this.state;
    const total = stages.find((s) => s.name === r.stage)?.steps ?? r.step;
    const pace = this.pace.observe(r, total);
    const edge = pace.first || r.step === total;
    if (!edge && r.time - this.lastPrint < this.interval) return;
    this.lastPrint = r.time;
    const width = Math.max(...stages.map((s) => s.name.length), r.stage.length);
    const percent = String(Math.floor((100 * r.step) / total)).padStart(3);
    const head = `[${r.stage.padEnd(width)} ${String(r.step).padStart(String(total).length)}/${total} ${percent}%]`;
    const shown: [string, string][] = [
      ["loss", "loss"],
      ["reward", "reward"],
      ["accuracy", "acc"],
      ["keep_ratio", "keep"],
      ["kl", "kl"],
      ["chord_mu", "mu"],
      ["lr", "lr"],
    ];
    const values = shown
      .filter(([key]) => typeof r[key] === "number")
      .map(([key, label]) => `${label} ${key === "lr" ? (r[key] as number).toExponential(1) : fixed(r[key] as number)}`);
    const rates = [typeof r.rollout_tok_s === "number" ? `rollout ${tokenRate(r.rollout_tok_s)}` : "", `train ${tokenRate(r.train_tok_s as number)}`]
      .filter(Boolean)
      .join(", ");
    this.write(`${head} ${values.join("  ")}  | ${rates} | eta ${clock(pace.secondsLeft)}`);
  }
}

/**
 * Plain progress for `roux run` when stdout is not a terminal (UX.md "roux run (not a
 * terminal)"): a line per metrics record at most every `interval` seconds, and always for a
 * stage's first and last step, and one line per event. Readable by eye and by grep.
 */
import { clock } from "../clock.js";
import type { MetricsRecord, RunEvent, StageSummary } from "../../runtime/run/events.js";

export class ProgressPrinter {
  private stages: StageSummary[] = [];
  private stageStarted = new Map<string, { time: number; step: number }>();
  private lastPrint = 0;

  constructor(
    private readonly write: (line: string) => void,
    private readonly interval = 1,
  ) {}

  event(e: RunEvent): void {
    switch (e.event) {
      case "run_start":
        this.stages = e.stages;
        this.write(`run ${e.recipe} ${e.hash.slice(0, 19)} -> ${e.dir} (training: ${e.backend}; sampling: ${e.sampler})`);
        return;
      case "resume":
        this.stages = e.stages;
        this.write(`resumed from ${e.checkpoint} (${e.from.stageName} step ${e.from.step})${e.droppedMetrics > 0 ? `; ${e.droppedMetrics} metrics lines after it will be computed again` : ""}`);
        return;
      case "stage_start":
        this.write(`stage ${e.stage} (${e.kind}, ${e.steps} steps)`);
        return;
      case "stage_end":
        this.write(`stage ${e.stage} done: ${e.steps} steps in ${clock(e.seconds)}`);
        return;
      case "eval": {
        const values = Object.entries(e.values).map(([label, v]) => `${label} ${fixed(v)}`);
        this.write(`eval ${e.stage}@${e.step}: ${values.join(", ")} (${e.data}, ${e.examples} examples)`);
        return;
      }
      case "checkpoint":
        this.write(`checkpoint ${e.stage}@${e.step} -> ${e.file}`);
        return;
      case "warning":
        this.write(`warning${e.stage ? ` ${e.stage}@${e.step}` : ""}: ${e.message}`);
        return;
      case "error":
        this.write(`error${e.stage ? ` in stage ${e.stage}, step ${e.step}` : ""}: ${e.message}`);
        return;
      case "run_end":
        this.write(`run ${e.status}`);
        return;
    }
  }

  metrics(r: MetricsRecord): void {
    const total = this.stages.find((s) => s.name === r.stage)?.steps ?? r.step;
    const start = this.stageStarted.get(r.stage) ?? { time: r.time, step: r.step - 1 };
    if (!this.stageStarted.has(r.stage)) this.stageStarted.set(r.stage, start);
    const edge = r.step === start.step + 1 || r.step === total;
    if (!edge && r.time - this.lastPrint < this.interval) return;
    this.lastPrint = r.time;
    const width = Math.max(...this.stages.map((s) => s.name.length), r.stage.length);
    const head = `[${r.stage.padEnd(width)} ${String(r.step).padStart(String(total).length)}/${total} ${String(Math.floor((100 * r.step) / total)).padStart(3)}%]`;
    const shown: [string, string][] = [
      ["loss", "loss"],
      ["reward", "reward"],
      ["accuracy", "acc"],
      ["keep_ratio", "keep"],
      ["kl", "kl"],
      ["chord_mu", "mu"],
      ["lr", "lr"],
    ];
    const values = shown.filter(([key]) => typeof r[key] === "number").map(([key, label]) => `${label} ${key === "lr" ? (r[key] as number).toExponential(1) : fixed(r[key] as number)}`);
    const rates = [typeof r.rollout_tok_s === "number" ? `rollout ${rate(r.rollout_tok_s)}` : "", `train ${rate(r.train_tok_s as number)}`].filter(Boolean).join(", ");
    const perStep = (r.time - start.time) / Math.max(1, r.step - start.step);
    this.write(`${head} ${values.join("  ")}  | ${rates} | eta ${clock(perStep * (total - r.step))}`);
  }
}

function fixed(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(3) : v.toExponential(1);
}

function rate(tokensPerSecond: number): string {
  return tokensPerSecond >= 1000 ? `${(tokensPerSecond / 1000).toFixed(1)}k tok/s` : `${tokensPerSecond.toFixed(0)} tok/s`;
}


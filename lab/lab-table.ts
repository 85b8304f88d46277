/**
 * The lab's table (lab/README.md "Controls"): for each method, its accuracy on the task's test after its
 * RL stage and its gains over its seed's warm-up, over its null control and over the
 * equal-compute SFT continuation, each a paired mean difference over the seeds ± its paired
 * standard error (lab/paired.ts), for greedy accuracy, sampled accuracy at the training
 * temperature and pass@k (docs/algorithms.md §10). Then, per seed, the gain over the null control
 * paired over the test problems, which shows whether each seed alone sees the effect.
 */
import { isDeepStrictEqual } from "node:util";
import type { EvalEvent } from "../runtime/record/read-run.js";
import { type Contrast, contrastTable } from "./contrasts.js";
import { type Arm, accuracy, METRICS, type Result } from "./lab-results.js";
import { formatPaired, paired, type Paired } from "./paired.js";

/**
 * A task of the lab (recipes/arith/README.md "Two tasks") by the variants of its sweep: the
 * warm-up, the methods started from it (each one's null control found by its plan,
 * lab/lab-results.ts), its equal-compute SFT continuation, and the papers' findings set as one
 * method against another.
 */
export interface Task {
  readonly title: string;
  readonly warmup: string;
  readonly sft: string;
  readonly methods: readonly string[];
  readonly contrasts: readonly Contrast[];
}

/** The markdown report on the task's runs among `results`; a method's "warm-up" is its seed's warm-up point's last eval. */
export function labTable(all: readonly Result[], task: Task): string {
  const { methods, sft } = task;
  const results = all.filter((r) => r.variant === sft || methods.includes(r.variant));
  if (results.length === 0) return "No run of this task has finished.";
  const warmups = new Map(all.filter((r) => r.variant === task.warmup && r.arm === "warmup").map((r) => [r.seed, r.end]));
  const find = (variant: string, arm: Arm, seed: number) => results.find((r) => r.variant === variant && r.arm === arm && r.seed === seed);
  const lines: string[] = [];
  const k = results.find((r) => r.end.samples !== undefined)?.end.samples ?? 1;
  for (const [metric, title] of METRICS) {
    lines.push(`**${title.replace("pass@k", `pass@${k}`)}** (points; mean over seeds of the paired difference ± its standard error; "shown" beyond 2 SE)`, "");
    lines.push("| method | seeds | warm-up | after | gain over warm-up | gain over null control | gain over equal-compute SFT | stage seconds (SFT's) |");
    lines.push("|---|---|---|---|---|---|---|---|");
    for (const method of methods) {
      const runs = results.filter((r) => r.variant === method && r.arm === "method");
      if (runs.length === 0) continue;
      const starts = runs.flatMap((run) => {
        const start = warmups.get(run.seed);
        return start === undefined || !fromWarmup(run, start) ? [] : [{ run, start }];
      });
      const overStart = paired(starts.map(({ run, start }) => accuracy(run.end, metric) - accuracy(start, metric)));
      const over = (arm: Arm, variant: string): Paired =>
        paired(runs.flatMap((r) => ((o) => (o === undefined ? [] : [accuracy(r.end, metric) - accuracy(o.end, metric)]))(find(variant, arm, r.seed))));
      const sftRuns = runs.flatMap((r) => find(sft, "sft", r.seed) ?? []);
      lines.push(
        `| ${method} | ${runs.length} | ${mean(starts.map(({ start }) => accuracy(start, metric)))} | ${mean(runs.map((r) => accuracy(r.end, metric)))} | ` +
          `${formatPaired(overStart)} | ${runs.some((r) => r.admitsControl) ? formatPaired(over("control", method)) : "no control (E3108)"} | ${formatPaired(over("sft", sft))} | ` +
          `${Math.round(average(runs.map((r) => r.seconds)))} (${sftRuns.length > 0 ? Math.round(average(sftRuns.map((r) => r.seconds))) : "—"}) |`,
      );
    }
    lines.push("");
  }
  // The gain over the warm-up is over the policy the run started from: a run whose own warm-up
  // eval is not its seed's warm-up point's (a recipe whose warm-up stage was edited gets its own
  // stage-cache key and trains its own) is left out of it, and named.
  const elsewhere = results.filter((r) => {
    const warmup = warmups.get(r.seed);
    return r.arm === "method" && warmup !== undefined && !fromWarmup(r, warmup);
  });
  if (elsewhere.length > 0)
    lines.push(`Not started from their seed's warm-up (${task.warmup}), so left out of the gain over it: ${elsewhere.map((r) => r.point).join(", ")}.`, "");
  lines.push(...contrastTable(results, task.contrasts));
  lines.push(...perSeedControl(results, methods));
  return lines.join("\n");
}

/** Whether the run's own first stage ended with the warm-up point's eval. */
function fromWarmup(run: Result, warmup: EvalEvent): boolean {
  return isDeepStrictEqual(run.start?.values, warmup.values) && isDeepStrictEqual(run.start?.accuracy, warmup.accuracy);
}

/** Per seed, sampled accuracy over the null control, paired over the test problems. */
function perSeedControl(results: readonly Result[], methods: readonly string[]): string[] {
  const seeds = [...new Set(results.map((r) => r.seed))].sort((a, b) => a - b);
  const lines = [
    "**Gain over the null control, per seed** (sampled accuracy, points, paired over the test problems ± SE)",
    "",
    `| method | ${seeds.map((s) => `seed ${s}`).join(" | ")} |`,
    `|---|${seeds.map(() => "---|").join("")}`,
  ];
  for (const method of methods) {
    const cells: string[] = [];
    for (const seed of seeds) {
      const run = results.find((r) => r.variant === method && r.arm === "method" && r.seed === seed);
      const control = results.find((r) => r.variant === method && r.arm === "control" && r.seed === seed);
      if (run === undefined || control === undefined) {
        cells.push("—");
        continue;
      }
      cells.push(formatPaired(paired(sampledDifferences(run, control))));
    }
    if (cells.some((c) => c !== "—")) lines.push(`| ${method} | ${cells.join(" | ")} |`);
  }
  return [...lines, ""];
}

/**
 * Per test problem, the run's share of right samples minus the control's, at their last evals;
 * none when the two did not answer the same problems in the same order.
 */
function sampledDifferences(run: Result, control: Result): number[] {
  const a = run.scores;
  const b = control.scores;
  const x = a?.figures.sampled;
  const y = b?.figures.sampled;
  if (a === undefined || b === undefined || x === undefined || y === undefined) return [];
  if (a.prompts.length !== b.prompts.length || a.prompts.some((p, i) => p !== b.prompts[i])) return [];
  return x.map((v, i) => v - y[i]!);
}

function average(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function mean(xs: readonly number[]): string {
  return (100 * average(xs)).toFixed(1);
}

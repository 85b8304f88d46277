/**
 * The lab's table (lab/README.md "Controls"): for each method, its accuracy on the task's test after its
 * RL stage and its gains over the warm-up it started from, over its null control and over the
 * equal-compute SFT continuation, each a paired mean difference over the seeds ± its paired
 * standard error (lab/paired.ts), for greedy accuracy, sampled accuracy at the training
 * temperature and pass@k (docs/algorithms.md §10). Then, per seed, the gain over the null control
 * paired over the test problems, which shows whether each seed alone sees the effect.
 *
 * The runs are found by their directory names under the lab's OUT (`runName`).
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { readJsonl } from "../runtime/record/jsonl-log.js";
import { type EvalEvent, readRun } from "../runtime/record/read-run.js";
import { formatPaired, paired, type Paired } from "./paired.js";

/** A method's run, its null control, the equal-compute SFT continuation, or the warm-up. */
export type Arm = "method" | "control" | "sft" | "warmup";

/** The folder under OUT of one run of the lab: `grpo-s17`, `grpo-control-s17`. */
export function runName(recipe: string, arm: Arm, seed: number): string {
  return arm === "control" ? `${recipe}-control-s${seed}` : `${recipe}-s${seed}`;
}

interface Result {
  readonly recipe: string;
  readonly arm: Arm;
  readonly seed: number;
  /** The warm-up's last eval and the last stage's, and the last stage's seconds. */
  readonly start: EvalEvent;
  readonly end: EvalEvent;
  readonly seconds: number;
  readonly dir: string;
}

const METRICS = [
  ["sampled", "sampled accuracy at the training temperature"],
  ["greedy", "greedy accuracy"],
  ["pass_at_k", "pass@k"],
] as const;
type Metric = (typeof METRICS)[number][0];

/**
 * The markdown report on the runs under `out`. `methods` are the recipes compared, `sft` the
 * equal-compute SFT continuation's recipe and `warmup` the warm-up's.
 */
export async function labTable(out: string, methods: readonly string[], sft: string, warmup: string): Promise<string> {
  const results = await readResults(out, [...methods, sft], warmup);
  const find = (recipe: string, arm: Arm, seed: number) => results.find((r) => r.recipe === recipe && r.arm === arm && r.seed === seed);
  const lines: string[] = [];
  const k = results.find((r) => r.end.samples !== undefined)?.end.samples ?? 1;
  for (const [metric, title] of METRICS) {
    lines.push(`**${title.replace("pass@k", `pass@${k}`)}** (points; mean over seeds of the paired difference ± its standard error; "shown" beyond 2 SE)`, "");
    lines.push("| method | seeds | warm-up | after | gain over warm-up | gain over null control | gain over equal-compute SFT | stage seconds (SFT's) |");
    lines.push("|---|---|---|---|---|---|---|---|");
    for (const method of methods) {
      const runs = results.filter((r) => r.recipe === method && r.arm === "method");
      if (runs.length === 0) continue;
      const overStart = paired(runs.map((r) => accuracy(r.end, metric) - accuracy(r.start, metric)));
      const over = (arm: Arm, recipe: string): Paired =>
        paired(runs.flatMap((r) => ((o) => (o === undefined ? [] : [accuracy(r.end, metric) - accuracy(o.end, metric)]))(find(recipe, arm, r.seed))));
      const sftRuns = runs.flatMap((r) => find(sft, "sft", r.seed) ?? []);
      lines.push(
        `| ${method} | ${runs.length} | ${mean(runs.map((r) => accuracy(r.start, metric)))} | ${mean(runs.map((r) => accuracy(r.end, metric)))} | ` +
          `${formatPaired(overStart)} | ${controlCell(over("control", method))} | ${formatPaired(over("sft", sft))} | ` +
          `${Math.round(average(runs.map((r) => r.seconds)))} (${sftRuns.length > 0 ? Math.round(average(sftRuns.map((r) => r.seconds))) : "—"}) |`,
      );
    }
    lines.push("");
  }
  lines.push(...(await perSeedControl(results, methods)));
  return lines.join("\n");
}

/** A method whose credit admits no null control (E3108) has none to compare with. */
function controlCell(p: Paired): string {
  return p.n === 0 ? "no control (E3108)" : formatPaired(p);
}

/** Per seed, sampled accuracy over the null control, paired over the test problems. */
async function perSeedControl(results: readonly Result[], methods: readonly string[]): Promise<string[]> {
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
      const run = results.find((r) => r.recipe === method && r.arm === "method" && r.seed === seed);
      const control = results.find((r) => r.recipe === method && r.arm === "control" && r.seed === seed);
      if (run === undefined || control === undefined) {
        cells.push("—");
        continue;
      }
      const [a, b] = await Promise.all([sampledPerProblem(run), sampledPerProblem(control)]);
      cells.push(formatPaired(paired([...a].flatMap(([problem, x]) => ((y) => (y === undefined ? [] : [x - y]))(b.get(problem))))));
    }
    if (cells.some((c) => c !== "—")) lines.push(`| ${method} | ${cells.join(" | ")} |`);
  }
  return [...lines, ""];
}

/** Each test problem's share of right answers among its sampled ones, at the run's last eval. */
async function sampledPerProblem(run: Result): Promise<Map<number, number>> {
  const answers = (await readJsonl(path.join(run.dir, run.end.answers ?? ""))).records;
  const byProblem = new Map<number, number[]>();
  for (const a of answers) {
    if (typeof a.problem !== "number" || !(typeof a.temperature === "number" && a.temperature > 0)) continue;
    const right = ((a.rewards as Record<string, number[]>).correct ?? [])[0] ?? 0;
    byProblem.set(a.problem, [...(byProblem.get(a.problem) ?? []), right]);
  }
  return new Map([...byProblem].map(([p, xs]) => [p, average(xs)]));
}

async function readResults(out: string, recipes: readonly string[], warmup: string): Promise<Result[]> {
  const results: Result[] = [];
  for (const folder of (await fs.readdir(out)).sort()) {
    const match = /^(.+?)(-control)?-s(\d+)$/.exec(folder);
    if (match === null || match[1] === undefined || match[1] === warmup || !recipes.includes(match[1])) continue;
    for (const run of await fs.readdir(path.join(out, folder))) {
      const log = await readRun(path.join(out, folder, run), out);
      if (!log.events.some((e) => e.event === "run_end" && e.status === "done")) continue;
      const evals = log.events.filter((e): e is EvalEvent => e.event === "eval");
      const first = log.plan.stages[0]?.name;
      const last = log.plan.stages.at(-1)?.name;
      const start = evals.filter((e) => e.stage === first).at(-1);
      const end = evals.filter((e) => e.stage === last).at(-1);
      const stageEnd = log.events.filter((e) => e.event === "stage_end" && e.stage === last).at(-1);
      if (start === undefined || end === undefined || first === last) continue;
      const arm: Arm = match[2] !== undefined ? "control" : log.plan.stages.at(-1)?.kind === "sft" ? "sft" : "method";
      const seconds = stageEnd?.event === "stage_end" ? stageEnd.seconds : Number.NaN;
      results.push({ recipe: match[1], arm, seed: Number(match[3]), start, end, seconds, dir: path.join(out, folder, run) });
    }
  }
  return results;
}

/** The eval's figure for the binary outcome reward it reports accuracy for. */
function accuracy(event: EvalEvent, metric: Metric): number {
  const figures = Object.values(event.accuracy ?? {})[0];
  return figures?.[metric]?.mean ?? Number.NaN;
}

function average(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function mean(xs: readonly number[]): string {
  return (100 * average(xs)).toFixed(1);
}

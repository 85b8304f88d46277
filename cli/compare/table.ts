/**
 * The comparison table (docs/architecture.md "roux compare"): one row per run, or per recipe with `--group`,
 * as aligned text for a terminal, a GitHub markdown table for a README's results, or JSON. A
 * grouped cell is `mean ± std`, followed by `(n)` when fewer of the row's runs have the figure
 * than it has runs; `–` is a figure no run of the row has. The footer says what the columns
 * mean (summary.ts has the definitions).
 */
import { clock } from "../../tui/clock.js";
import { aligned } from "../columns.js";
import { figureStats, type Row, type Stats } from "./group.js";
import type { FigureName, MeanSe } from "../../runtime/record/eval-figures.js";
import type { Paired } from "./paired.js";
import { FIGURES, type Figure, type Status } from "./summary.js";

export type TableFormat = "text" | "markdown" | "json";

const fixed = (digits: number) => (v: number) => v.toFixed(digits);

/**
 * `spread` shows a grouped cell's standard deviation, or a run's standard error, where it
 * differs from `show` (no sign). A run's cell shows its standard error when it has one.
 */
interface Column {
  readonly figure: Figure;
  readonly header: string;
  readonly show: (v: number) => string;
  readonly spread?: (v: number) => string;
}

const signed = (digits: number) => (v: number) => `${v < 0 ? "−" : "+"}${Math.abs(v).toFixed(digits)}`;

const COLUMNS: readonly Column[] = [
  { figure: "final_acc", header: "final acc", show: fixed(2) },
  { figure: "best_acc", header: "best acc", show: fixed(2) },
  { figure: "gain", header: "gain", show: signed(3), spread: fixed(3) },
  { figure: "greedy_acc", header: "greedy", show: fixed(3) },
  { figure: "sampled_acc", header: "sampled", show: fixed(3) },
  { figure: "pass_at_k", header: "pass@k", show: fixed(3) },
  { figure: "steps_per_response", header: "steps/resp", show: fixed(1) },
  { figure: "tokens_per_response", header: "tokens/resp", show: fixed(1) },
  { figure: "hacked_steps", header: "hacked steps", show: fixed(2) },
  { figure: "wall_seconds", header: "wall", show: clock },
];

const FOOTER = [
  "final/best acc: at the last eval / the best eval, at the eval's temperature; accuracy is an eval's first binary outcome reward (answer_match first)",
  "gain: final acc minus the accuracy at the first stage's last eval (what RL added to the warm-up; same seed, same warm-up)",
  "greedy, sampled, pass@k: the last eval's greedy accuracy, accuracy at its temperature (mean over its k samples a problem) " +
    "and pass@k, ± standard error over its problems",
  "steps/resp, tokens/resp: the last eval's means over its answers",
  "hacked steps: of the last eval's steps a learned PRM scores ≥ 0.5, the fraction the rule verifier (step_check) scores 0",
  "wall: time in stages, an unfinished one up to the run's last record",
];

const GROUP_FOOTER = "grouped: mean ± sample standard deviation over a recipe's runs; (n) when only n of them have it";

/** The paired table's columns, after its two labels and its count (paired.ts). */
const PAIRED_FIGURES: readonly { readonly figure: FigureName; readonly header: string }[] = [
  { figure: "greedy", header: "Δ greedy" },
  { figure: "sampled", header: "Δ sampled" },
  { figure: "pass_at_k", header: "Δ pass@k" },
];

const PAIRED_TITLE = {
  runs: "paired: run − baseline on the problems of their last evals, for runs with the same seed and warm-up (mean ± paired standard error over problems)",
  groups: "paired: recipe − baseline, seed by seed (runs with the same seed and warm-up), mean over seeds ± standard error over seeds",
};

export function renderTable(rows: readonly Row[], group: boolean, format: TableFormat, paired: readonly Paired[] = []): string {
  if (format === "json") {
    const table = group ? { groups: rows.map(groupJson) } : { runs: rows.map(runJson) };
    return `${JSON.stringify({ ...table, paired: paired.map((p) => pairedJson(p, group)) }, null, 2)}\n`;
  }
  const header = [group ? "recipe" : "run", ...(group ? ["runs"] : []), ...COLUMNS.map((c) => c.header)];
  const cells = rows.map((row) => [labelCell(row, group), ...(group ? [runsCell(row)] : []), ...COLUMNS.map((c) => figureCell(row, c, group))]);
  const footer = group ? [...FOOTER, GROUP_FOOTER] : FOOTER;
  const pairedHeader = [group ? "recipe" : "run", "baseline", group ? "seeds" : "problems", ...PAIRED_FIGURES.map((c) => c.header)];
  const pairedCells = paired.map((p) => [p.run, p.baseline, String(p.n), ...PAIRED_FIGURES.map((c) => differenceCell(p.figures[c.figure]))]);
  const title = PAIRED_TITLE[group ? "groups" : "runs"];
  if (format === "markdown") {
    const pairs = paired.length === 0 ? "" : `\n${title}\n\n${markdown(pairedHeader, pairedCells)}`;
    return `${markdown(header, cells)}\n${footer.map((line) => `- ${line}\n`).join("")}${pairs}`;
  }
  const pairs = paired.length === 0 ? "" : `\n${title}\n${aligned([pairedHeader, ...pairedCells])}`;
  return `${aligned([header, ...cells])}\n${footer.map((line) => `${line}\n`).join("")}${pairs}`;
}

/** A mean difference with its standard error; `–` where the pair cannot compare the figure. */
function differenceCell(d: MeanSe | undefined): string {
  if (d === undefined) return "–";
  return d.se === null ? signed(3)(d.mean) : `${signed(3)(d.mean)} ± ${d.se.toFixed(3)}`;
}

function pairedJson(p: Paired, group: boolean) {
  return { [group ? "recipe" : "run"]: p.run, baseline: p.baseline, [group ? "seeds" : "problems"]: p.n, ...p.figures };
}

/** The run's name, with its status unless it is done. */
function labelCell(row: Row, group: boolean): string {
  if (group) return row.label;
  const { status } = row.runs[0];
  return status === "done" ? row.label : `${row.label} (${status})`;
}

/** How many runs, and how many of them are not done. */
function runsCell(row: Row): string {
  const counts = new Map<Status, number>();
  for (const { status } of row.runs) if (status !== "done") counts.set(status, (counts.get(status) ?? 0) + 1);
  const notDone = [...counts].map(([status, n]) => `${n} ${status}`);
  return notDone.length === 0 ? String(row.runs.length) : `${row.runs.length} (${notDone.join(", ")})`;
}

/** A grouped cell's spread is the standard deviation over its runs, a run's the standard error of its figure. */
function figureCell(row: Row, column: Column, group: boolean): string {
  const s = figureStats(row, column.figure);
  if (s === null) return "–";
  const spread = group ? s.std : (row.runs[0].errors[column.figure] ?? null);
  const value = spread === null ? column.show(s.mean) : `${column.show(s.mean)} ± ${(column.spread ?? column.show)(spread)}`;
  return s.n < row.runs.length ? `${value} (${s.n})` : value;
}

/** Each figure, and `<figure>_se` for those with a standard error. */
function runJson(row: Row) {
  const { label, recipe, status, figures, errors } = row.runs[0];
  const se = Object.entries(errors).map(([figure, error]) => [`${figure}_se`, error ?? null]);
  return { run: label, recipe, status, ...figures, ...Object.fromEntries(se) };
}

function groupJson(row: Row) {
  const figures = Object.fromEntries(FIGURES.map((f): [Figure, Stats | null] => [f, figureStats(row, f)]));
  return { recipe: row.label, runs: row.runs.map((r) => r.label), statuses: row.runs.map((r) => r.status), ...figures };
}

function markdown(header: readonly string[], body: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |\n`;
  return [line(header), `|${header.map(() => "---").join("|")}|\n`, ...body.map(line)].join("");
}

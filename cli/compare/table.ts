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
import { FIGURES, type Figure, type Status } from "./summary.js";

export type TableFormat = "text" | "markdown" | "json";

const fixed = (digits: number) => (v: number) => v.toFixed(digits);

/** `spread` shows a grouped cell's standard deviation, where it differs from `show` (no sign). */
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
  { figure: "steps_per_response", header: "steps/resp", show: fixed(1) },
  { figure: "tokens_per_response", header: "tokens/resp", show: fixed(1) },
  { figure: "hacked_steps", header: "hacked steps", show: fixed(2) },
  { figure: "wall_seconds", header: "wall", show: clock },
];

const FOOTER = [
  "final/best acc: at the last eval / the best eval; accuracy is an eval's first binary outcome reward (answer_match first)",
  "gain: final acc minus the accuracy at the first stage's last eval (what RL added to the warm-up; same seed, same warm-up)",
  "steps/resp, tokens/resp: the last eval's means over its answers",
  "hacked steps: of the last eval's steps a learned PRM scores ≥ 0.5, the fraction the rule verifier (step_check) scores 0",
  "wall: time in stages, an unfinished one up to the run's last record",
];

const GROUP_FOOTER = "grouped: mean ± sample standard deviation over a recipe's runs; (n) when only n of them have it";

export function renderTable(rows: readonly Row[], group: boolean, format: TableFormat): string {
  if (format === "json") return `${JSON.stringify(group ? { groups: rows.map(groupJson) } : { runs: rows.map(runJson) }, null, 2)}\n`;
  const header = [group ? "recipe" : "run", ...(group ? ["runs"] : []), ...COLUMNS.map((c) => c.header)];
  const cells = rows.map((row) => [labelCell(row, group), ...(group ? [runsCell(row)] : []), ...COLUMNS.map((c) => figureCell(row, c))]);
  const footer = group ? [...FOOTER, GROUP_FOOTER] : FOOTER;
  if (format === "markdown") return `${markdown(header, cells)}\n${footer.map((line) => `- ${line}\n`).join("")}`;
  return `${aligned([header, ...cells])}\n${footer.map((line) => `${line}\n`).join("")}`;
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

function figureCell(row: Row, column: Column): string {
  const s = figureStats(row, column.figure);
  if (s === null) return "–";
  const value = s.std === null ? column.show(s.mean) : `${column.show(s.mean)} ± ${(column.spread ?? column.show)(s.std)}`;
  return s.n < row.runs.length ? `${value} (${s.n})` : value;
}

function runJson(row: Row) {
  const { label, recipe, status, figures } = row.runs[0];
  return { run: label, recipe, status, ...figures };
}

function groupJson(row: Row) {
  const figures = Object.fromEntries(FIGURES.map((f): [Figure, Stats | null] => [f, figureStats(row, f)]));
  return { recipe: row.label, runs: row.runs.map((r) => r.label), statuses: row.runs.map((r) => r.status), ...figures };
}

function markdown(header: readonly string[], body: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |\n`;
  return [line(header), `|${header.map(() => "---").join("|")}|\n`, ...body.map(line)].join("");
}

/**
 * `roux compare [--group] [--format text|markdown|json] [--out DIR] [--from-step N] RUN_DIR|SWEEP_DIR...`: runs side by
 * side (docs/architecture.md "roux compare"). A sweep's directory stands for its points' runs, each
 * named by its point, with its variant as its recipe (cli/sweep/sweep-runs.ts). A table with one row per run, or with `--group` one per recipe
 * over its runs (mean ± sample standard deviation), as text, a GitHub markdown table for a
 * README's results, or JSON; and the curves, written atomically to DIR/compare.svg and
 * DIR/compare.png (DIR defaults to the current directory): eval accuracy, training reward,
 * response tokens and steps per response against the global step (stages one after another),
 * from global step N with `--from-step` (runs that share a long warm-up, plotted from its end).
 *
 * What the columns mean (cli/compare/summary.ts):
 *   final acc, best acc   the accuracy of the last eval, and the best over all evals; an eval's
 *                         accuracy is the value of its first reward that is a binary outcome
 *                         source scored directly, a task's answer_match first (accuracy.ts)
 *   greedy, sampled, pass@k  the last eval's greedy accuracy, accuracy at its temperature and
 *                         pass@k over its k samples, ± standard error over its problems
 *                         (docs/algorithms.md §10)
 *   steps/resp, tokens/resp  the last eval's means over its answers
 *   hacked steps          of the steps in the last eval's answers that a learned PRM (a process
 *                         source of kind onnx) scores ≥ 0.5, the fraction that the rule verifier
 *                         (process, task verifier step_check) scores 0 (hacked.ts)
 *   wall                  time spent in stages, an unfinished one up to its last record (wall.ts)
 * `–` is a figure the run cannot give (no evals, no PRM or verifier, answers not recorded). A run
 * that is not done shows its status: running (no run_end yet, or killed), stopped or failed.
 *
 * Below the table, paired differences (cli/compare/paired.ts): each run against each run named
 * before it with the same seed and warm-up, problem by problem on their last evals, as mean ±
 * paired standard error; with `--group`, each recipe against each recipe named before it, seed
 * by seed, as mean ± standard error over seeds.
 *
 * Every run is read before anything is written: a path that is not a run directory stops the
 * command (exit 1) with nothing half-made.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { readRun, type RunLog } from "../../runtime/record/read-run.js";
import { writeFileAtomic } from "../../runtime/record/atomic-write.js";
import { describeFsError } from "../../plan/fs-error.js";
import type { Command } from "../command.js";
import { rowsOf } from "../compare/group.js";
import { pairedDifferences } from "../compare/paired.js";
import { plotSvg } from "../compare/plot-svg.js";
import { svgToPng } from "../compare/png.js";
import { summarise } from "../compare/summary.js";
import { renderTable, type TableFormat } from "../compare/table.js";
import { asCommandError } from "../record-error.js";
import { isSweepDirectory } from "../sweep/sweep-dir.js";
import { sweepRunLogs } from "../sweep/sweep-runs.js";
import { CommandError, UsageError } from "../usage-error.js";

const USAGE = "[--group] [--format text|markdown|json] [--out DIR] [--from-step N] RUN_DIR|SWEEP_DIR...";

export const command: Command = {
  usage: USAGE,
  options: {
    group: { type: "boolean", default: false },
    format: { type: "string", default: "text" },
    out: { type: "string" },
    "from-step": { type: "string", default: "0" },
  },
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError(`give at least one run directory\nusage: roux compare ${USAGE}`);
    const format = tableFormat(args.values.format);
    const fromStep = Number(args.values["from-step"]);
    if (!(Number.isInteger(fromStep) && fromStep >= 0)) {
      throw new UsageError(`--from-step takes a global step, a whole number from 0, not \`${String(args.values["from-step"])}\``);
    }
    const group = args.values.group === true;
    const runs: RunLog[] = [];
    for (const dir of args.positionals) {
      // A sweep directory stands for its points' runs, grouped by variant (cli/sweep/sweep-runs.ts).
      if (isSweepDirectory(path.resolve(io.cwd, dir))) runs.push(...(await asCommandError(() => sweepRunLogs(path.resolve(io.cwd, dir), io.cwd))));
      else runs.push(await asCommandError(() => readRun(dir, io.cwd)));
    }
    for (const run of runs) for (const warning of run.warnings) io.stderr.write(`warning: ${warning}\n`);
    const rows = rowsOf(runs.map(summarise), group);
    io.stdout.write(renderTable(rows, group, format, pairedDifferences(runs, group)));
    const out = typeof args.values.out === "string" ? args.values.out : ".";
    const svg = plotSvg(rows, fromStep);
    for (const [name, data] of [
      ["compare.svg", svg],
      ["compare.png", await svgToPng(svg)],
    ] as const) {
      await writeOutput(path.resolve(io.cwd, out), name, data);
      io.stderr.write(`wrote ${path.join(out, name)}\n`);
    }
    return 0;
  },
};

function tableFormat(value: unknown): TableFormat {
  if (value === "text" || value === "markdown" || value === "json") return value;
  throw new UsageError(`--format takes \`text\`, \`markdown\` or \`json\`, not \`${String(value)}\``);
}

/** Into DIR, made if need be; io.ts's writeFileAtomic takes text only, and the PNG is bytes. */
async function writeOutput(dir: string, name: string, data: string | Uint8Array): Promise<void> {
  const file = path.join(dir, name);
  try {
    await fs.mkdir(dir, { recursive: true });
    await writeFileAtomic(file, data);
  } catch (error) {
    throw new CommandError(`cannot write ${file}: ${describeFsError(error)}`);
  }
}

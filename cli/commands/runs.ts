/**
 * `roux runs [DIR]`: the run directories under DIR (default `runs`, where `run.out` puts them),
 * oldest first, with their status, recipe, best eval accuracy and time in stages (as `roux
 * compare` computes them, cli/compare/summary.ts). A run whose latest start has no run_end
 * (runtime/record/status.ts) is `running` while the process its events name is alive, `killed`
 * once it is gone, and `unfinished` when its events name none (recorded before they did). A directory that is not a readable run is
 * listed as `unreadable`, with the reason on stderr. A sweep's directory under DIR (`roux sweep`
 * puts them in `runs/<sweep name>/`) is one row, `NAME/`, summing its points: its status (`running`
 * while a point runs, `done` when all are, else `unfinished`), how many points are done, the
 * best of their evals and their time in stages added up. DIR may itself be a sweep's directory:
 * then a row per point of the sweep, in its order, named by the point, with its variant as
 * recipe (`pending` for a point with no run yet: cli/sweep/sweep-runs.ts).
 */
import { existsSync, promises as fs, statSync } from "node:fs";
import path from "node:path";
import { RUN_INFO_FILE } from "../../runtime/record/layout.js";
import { readRun, type RunLog } from "../../runtime/record/read-run.js";
import { hasEnded, runState, writerLiveness } from "../../runtime/record/status.js";
import { describeFsError } from "../../plan/fs-error.js";
import { RunDirectoryError } from "../../runtime/record/plan-file.js";
import { clock } from "../../tui/clock.js";
import { aligned } from "../columns.js";
import type { Command } from "../command.js";
import { summarise } from "../compare/summary.js";
import type { Io } from "../io.js";
import { asCommandError } from "../record-error.js";
import { isSweepDirectory, readSweepRecord } from "../sweep/sweep-dir.js";
import { sweepRunLogs } from "../sweep/sweep-runs.js";
import { CommandError, UsageError } from "../usage-error.js";

interface Row {
  readonly name: string;
  readonly started: number;
  readonly cells: string[];
}

export const command: Command = {
  usage: "[DIR]",
  options: {},
  async run(args, io) {
    if (args.positionals.length > 1) throw new UsageError("give at most one directory\nusage: roux runs [DIR]");
    const given = args.positionals[0] ?? "runs";
    const base = path.resolve(io.cwd, given);
    if (!existsSync(base))
      throw new CommandError(`${given} does not exist${args.positionals.length === 0 ? " (give the folder your runs are in: roux runs DIR)" : ""}`);
    if (!statSync(base).isDirectory()) throw new CommandError(`${given} is a file, not a folder of runs`);
    if (isSweepDirectory(base)) return sweepRows(base, io);
    // A sweep's row is named `NAME/`, so it reads as a folder of runs.
    let entries: { name: string; sweep: boolean }[];
    try {
      entries = (await fs.readdir(base))
        .map((name) => ({ name, sweep: isSweepDirectory(path.join(base, name)) }))
        .filter(({ name, sweep }) => sweep || existsSync(path.join(base, name, RUN_INFO_FILE)));
    } catch (error) {
      throw new CommandError(`cannot read ${given}: ${describeFsError(error)}`);
    }
    if (entries.length === 0) {
      io.stderr.write(`no runs in ${given}\n`);
      return 0;
    }
    const rows: Row[] = [];
    for (const { name, sweep } of entries) {
      const dir = path.join(given, name);
      const shown = sweep ? `${name}/` : name;
      try {
        rows.push(sweep ? await sweepRow(shown, dir, io) : row(shown, await readRun(dir, io.cwd)));
      } catch (error) {
        if (!(error instanceof RunDirectoryError)) throw error;
        io.stderr.write(`warning: ${error.message}\n`);
        rows.push({ name: shown, started: Infinity, cells: [shown, "unreadable", "–", "–", "–"] });
      }
    }
    rows.sort((a, b) => a.started - b.started || a.name.localeCompare(b.name));
    io.stdout.write(aligned([["run", "status", "recipe", "best acc", "wall"], ...rows.map((r) => r.cells)]));
    const sweep = rows.find((r) => r.name.endsWith("/"));
    if (sweep !== undefined) io.stderr.write(`a sweep's points: roux runs ${path.join(given, sweep.name)}\n`);
    return 0;
  },
};

/** A sweep under the folder as one row: its points' runs summed (the sweep's own rows come from `sweepRows`). */
async function sweepRow(name: string, dir: string, io: Io): Promise<Row> {
  const { points } = await readSweepRecord(dir);
  const runs = await sweepRunLogs(dir, io.cwd);
  const statuses = runs.map(shownStatus);
  const figures = runs.map((run) => summarise(run).figures);
  const done = statuses.filter((s) => s === "done").length;
  const status = statuses.includes("running") ? "running" : done === points.length ? "done" : "unfinished";
  const bests = figures.map((f) => f.best_acc).filter((b): b is number => b !== null);
  const wall = figures.reduce((sum, f) => sum + (f.wall_seconds ?? 0), 0);
  return {
    name,
    started: Math.min(...runs.map(startedAt)),
    cells: [name, status, `sweep: ${done}/${points.length} done`, bests.length === 0 ? "–" : Math.max(...bests).toFixed(2), clock(wall)],
  };
}

async function sweepRows(dir: string, io: Io): Promise<number> {
  const { points } = await asCommandError(() => readSweepRecord(dir));
  const runs = new Map((await asCommandError(() => sweepRunLogs(dir, io.cwd))).map((run) => [run.name, run]));
  const rows = points.map((p) => {
    const run = runs.get(p.name);
    return run === undefined ? [p.name, "pending", p.variant, "–", "–"] : row(p.name, run).cells;
  });
  io.stdout.write(aligned([["point", "status", "variant", "best acc", "wall"], ...rows]));
  return 0;
}

function row(name: string, run: RunLog): Row {
  const summary = summarise(run);
  const best = summary.figures.best_acc;
  return {
    name,
    started: startedAt(run),
    cells: [name, shownStatus(run), summary.recipe, best === null ? "–" : best.toFixed(2), clock(summary.figures.wall_seconds ?? 0)],
  };
}

const startedAt = (run: RunLog): number => run.events[0]?.time ?? Infinity;

/** A run whose latest start has no run_end yet is named by whether the process writing it is still there. */
const UNENDED = { alive: "running", gone: "killed", unnamed: "unfinished" } as const;

function shownStatus(run: RunLog): string {
  const state = runState(run.events);
  return hasEnded(state.status) ? state.status : UNENDED[writerLiveness(state)];
}

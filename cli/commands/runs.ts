/**
 * `roux runs [DIR]`: the run directories under DIR (default `runs`, where `run.out` puts them),
 * oldest first, with their status, recipe, best eval accuracy and time in stages (as `roux
 * compare` computes them, cli/compare/summary.ts). A run whose latest start has no run_end
 * (runtime/record/status.ts) is `running` while the process its events name is alive, `killed`
 * once it is gone, and `unfinished` when its events name none (recorded before they did). A directory that is not a readable run is
 * listed as `unreadable`, with the reason on stderr. DIR may be a sweep's directory: then a row per
 * point of the sweep, in its order, named by the point, with its variant as recipe (`pending`
 * for a point with no run yet: cli/sweep/sweep-runs.ts).
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
    let names: string[];
    try {
      names = (await fs.readdir(base)).filter((name) => existsSync(path.join(base, name, RUN_INFO_FILE)));
    } catch (error) {
      throw new CommandError(`cannot read ${given}: ${describeFsError(error)}`);
    }
    if (names.length === 0) {
      io.stderr.write(`no runs in ${given}\n`);
      return 0;
    }
    const rows: Row[] = [];
    for (const name of names) {
      try {
        rows.push(row(name, await readRun(path.join(given, name), io.cwd)));
      } catch (error) {
        if (!(error instanceof RunDirectoryError)) throw error;
        io.stderr.write(`warning: ${error.message}\n`);
        rows.push({ name, started: Infinity, cells: [name, "unreadable", "–", "–", "–"] });
      }
    }
    rows.sort((a, b) => a.started - b.started || a.name.localeCompare(b.name));
    io.stdout.write(aligned([["run", "status", "recipe", "best acc", "wall"], ...rows.map((r) => r.cells)]));
    return 0;
  },
};

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
    started: run.events[0]?.time ?? Infinity,
    cells: [name, shownStatus(run), summary.recipe, best === null ? "–" : best.toFixed(2), clock(summary.figures.wall_seconds ?? 0)],
  };
}

/** A run whose latest start has no run_end yet is named by whether the process writing it is still there. */
const UNENDED = { alive: "running", gone: "killed", unnamed: "unfinished" } as const;

function shownStatus(run: RunLog): string {
  const state = runState(run.events);
  return hasEnded(state.status) ? state.status : UNENDED[writerLiveness(state)];
}

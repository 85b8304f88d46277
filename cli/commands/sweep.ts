/**
 * `roux sweep [--jobs N] [--out DIR] [--no-tui] [--no-cache] [--set PATH=VALUE]... FILE`: runs a
 * sweep's points (docs/language.md §10; docs/architecture.md "Sweeps"), each with the `--set`
 * options applied before its own settings. Every point is checked first, and a
 * sweep with an error runs nothing (exit 1); then the number of runs and their estimated time,
 * and the points run `--jobs` at a time (default 1) into the sweep directory, `runs/<sweep
 * name>/` unless `--out` names another. Run again, it continues that directory: finished points
 * are kept, killed or stopped ones resumed. On a terminal the sweep's screen (a line per point),
 * otherwise a line per point started, kept or ended. Ctrl-C stops every run at a checkpoint.
 * Exit 0 when every point is done, 1 otherwise.
 */
import path from "node:path";
import { stageKeys } from "../../runtime/stage-cache/stage-key.js";
import type { Plan } from "../../plan/plan.js";
import { onePositional, type Command } from "../command.js";
import { SET_OPTION } from "../load-recipe.js";
import { loadSweepFile, sweepListing } from "../load-sweep.js";
import { printDiagnostics } from "../report.js";
import { rouxScript } from "../run/roux-script.js";
import { codeLoads } from "../run/stage-cache-settings.js";
import { isTerminal } from "../run/terminal-ui.js";
import { runSweep } from "../sweep/run-sweep.js";
import { sweepDisplay } from "../sweep/sweep-display.js";
import { sweepEstimate } from "../sweep/sweep-estimate.js";
import { CommandError, UsageError } from "../usage-error.js";

const USAGE = "[--jobs N] [--out DIR] [--no-tui] [--no-cache] [--set PATH=VALUE]... FILE";

export const command: Command = {
  usage: USAGE,
  options: {
    jobs: { type: "string", default: "1" },
    out: { type: "string" },
    "no-tui": { type: "boolean", default: false },
    "no-cache": { type: "boolean", default: false },
    ...SET_OPTION,
  },
  async run(args, io) {
    const file = onePositional(args);
    if (file === undefined) throw new UsageError(`give one sweep file or recipe\nusage: roux sweep ${USAGE}`);
    const jobs = Number(args.values.jobs);
    if (!(Number.isInteger(jobs) && jobs >= 1)) throw new UsageError(`--jobs takes a whole number, at least 1, not \`${String(args.values.jobs)}\``);
    const { sweep, diagnostics, sources } = await loadSweepFile(file, args, io);
    if (printDiagnostics(diagnostics, sources, [file], "text", io) || sweep === undefined) return 1;
    const hub = sweep.points.find((p) => p.plan.policy.kind !== "transformer");
    if (hub !== undefined) throw new CommandError(`point ${hub.name}: the policy is a hub model, which the local runtime cannot run (E3401)`);
    const dir = path.resolve(io.cwd, typeof args.values.out === "string" ? args.values.out : path.join("runs", sweep.name));
    const shown = path.relative(io.cwd, dir) || dir;
    // The order needs only which points share stages. The points of a sweep train on this machine, so the
    // device each plan names stands for its kernels (each run keys the cache with the kernels it loads).
    const keys = (plan: Plan) => stageKeys(plan, { training: plan.settings.device, sampling: plan.settings.device }, codeLoads);
    const keyed = await Promise.all(sweep.points.map(async (p) => ({ plan: p.plan, keys: await keys(p.plan) })));
    io.stderr.write(
      `${sweepListing(
        file,
        sweep.points.map((p) => p.name),
      )}${sweepEstimate(keyed)}; into ${shown}\n`,
    );
    const ui = args.values["no-tui"] !== true && isTerminal(io);
    const display = await sweepDisplay(io, `sweep ${sweep.name} (${shown})`, { ui, footer: "Ctrl-C stop every run at a checkpoint" });
    const controller = new AbortController();
    const interrupt = () => {
      if (controller.signal.aborted) process.exit(130);
      display.log("stopping every run after its step (Ctrl-C again to quit now)");
      controller.abort();
    };
    process.on("SIGINT", interrupt);
    void display.left.then(interrupt);
    let outcome: Awaited<ReturnType<typeof runSweep>>;
    try {
      outcome = await runSweep({
        dir,
        name: sweep.name,
        file: path.resolve(io.cwd, file),
        points: sweep.points,
        jobs,
        stageKeys: keys,
        roux: rouxScript("the sweep's runs"),
        env: io.env,
        childFlags: args.values["no-cache"] === true ? ["--no-cache"] : [],
        signal: controller.signal,
        interruptChildren: ui,
        log: (line) => display.log(line),
        changed: ui ? (rows) => display.rows(rows) : undefined,
      });
    } finally {
      process.off("SIGINT", interrupt);
      await display.close();
    }
    const done = outcome.rows.length - outcome.unfinished.length;
    io.stderr.write(`sweep ${sweep.name}: ${done}/${outcome.rows.length} done in ${shown}\n`);
    if (outcome.unfinished.length === 0) return 0;
    io.stderr.write(`not done: ${outcome.unfinished.join(", ")}; \`roux sweep ${file}\` again continues them\n`);
    return 1;
  },
};

/**
 * `roux watch RUN_DIR`: attaches to a run, from this or another process, still going, finished
 * or crashed, by following its metrics.jsonl and events.jsonl. On a terminal, the terminal UI
 * (tui/); otherwise the run's plain lines, as `roux run` prints them, until it ends.
 * `roux watch SWEEP_DIR` follows a sweep the same way, a line per point (cli/sweep/watch-sweep.ts).
 */
import path from "node:path";
import { PLAN_FILE, RUN_INFO_FILE } from "../../runtime/record/layout.js";
import { runDirectory } from "../../runtime/record/read-run.js";
import { readPlanFile } from "../../runtime/record/plan-file.js";
import { onePositional, type Command } from "../command.js";
import { accuracyLabel } from "../../plan/eval-accuracy.js";
import { asCommandError } from "../record-error.js";
import { followPlain } from "../run/follow-plain.js";
import { isTerminal, showRunUi } from "../run/terminal-ui.js";
import { isSweepDirectory } from "../sweep/sweep-dir.js";
import { watchSweep } from "../sweep/watch-sweep.js";
import { UsageError } from "../usage-error.js";

export const command: Command = {
  usage: "RUN_DIR | SWEEP_DIR",
  options: {},
  async run(args, io) {
    const given = onePositional(args);
    if (given === undefined) throw new UsageError("give one run or sweep directory\nusage: roux watch RUN_DIR | SWEEP_DIR");
    return asCommandError(async () => {
      const sweep = path.resolve(io.cwd, given);
      if (isSweepDirectory(sweep)) return watchSweep(io, sweep, given, isTerminal(io));
      // events.jsonl may not be there yet: a run just started writes it once its engines load.
      const dir = runDirectory(given, io.cwd, [RUN_INFO_FILE, PLAN_FILE]);
      const plan = await readPlanFile(path.join(dir, PLAN_FILE));
      if (!isTerminal(io)) return followPlain(io, dir);
      const { how } = await showRunUi(io, { dir, shownDir: given, accuracyLabel: (labels) => accuracyLabel(plan, labels) });
      return how === "interrupt" ? 130 : 0;
    });
  },
};

/** `roux eval RUN_DIR [--data NAME]`: evaluates a run's newest checkpoint (runtime/run/evaluate-run.ts). */
import path from "node:path";
import { CheckpointError } from "../../runtime/run/checkpoint.js";
import { DatasetError } from "../../runtime/run/datasets.js";
import type { evaluateRun as EvaluateRun } from "../../runtime/run/evaluate-run.js";
import { RunDirectoryError } from "../../runtime/record/plan-file.js";
import { RunDirectory } from "../../runtime/run/run-dir.js";
import { evalFigures } from "../../tui/event-line.js";
import { onePositional, type Command } from "../command.js";
import { CommandError, UsageError } from "../usage-error.js";

export const command: Command = {
  usage: "[--data NAME] [--format text|json] RUN_DIR",
  options: { data: { type: "string" }, format: { type: "string", default: "text" } },
  async run(args, io) {
    const given = onePositional(args);
    if (given === undefined) throw new UsageError("give one run directory\nusage: roux eval [--data NAME] [--format text|json] RUN_DIR");
    const format = String(args.values.format);
    if (format !== "text" && format !== "json") throw new UsageError(`--format takes text or json, not \`${format}\``);
    const dir = new RunDirectory(path.resolve(io.cwd, given));
    let result: Awaited<ReturnType<typeof EvaluateRun>>;
    // The engines load only for the commands that need them: `roux check` stays fast.
    const { evaluateRun, EvalRequestError } = await import("../../runtime/run/evaluate-run.js");
    try {
      result = await evaluateRun(dir, args.values.data as string | undefined);
    } catch (error) {
      if (error instanceof RunDirectoryError || error instanceof CheckpointError || error instanceof EvalRequestError || error instanceof DatasetError) {
        throw new CommandError(error.message);
      }
      throw error;
    }
    for (const warning of result.warnings) io.stderr.write(`warning: ${warning}\n`);
    if (format === "json") {
      const { stage, step, data, examples, temperature, samples, values, accuracy } = result;
      io.stdout.write(`${JSON.stringify({ stage, step, data, examples, temperature, samples, values, accuracy })}\n`);
    } else {
      io.stdout.write(`eval ${result.stage}@${result.step}: ${evalFigures(result)}\n`);
    }
    return 0;
  },
};

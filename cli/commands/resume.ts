/**
 * `roux resume [--no-cache] RUN_DIR`: continues a run from its newest checkpoint, with the plan it
 * was started with. A run with no checkpoint starts from its first step, as `roux run` does, from
 * the stage cache unless `--no-cache` (runtime/stage-cache/README.md).
 */
import path from "node:path";
import { CheckpointError } from "../../runtime/run/checkpoint.js";
import { RunDirectoryError } from "../../runtime/record/plan-file.js";
import { RunDirectory } from "../../runtime/run/run-dir.js";
import { onePositional, type Command } from "../command.js";
import { CommandError, UsageError } from "../usage-error.js";
import { stageCacheSettings } from "../run/stage-cache-settings.js";
import { watchRun } from "../run/watch-run.js";

export const command: Command = {
  usage: "[--no-cache] RUN_DIR",
  options: { "no-cache": { type: "boolean", default: false } },
  async run(args, io) {
    const given = onePositional(args);
    if (given === undefined) throw new UsageError("give one run directory\nusage: roux resume [--no-cache] RUN_DIR");
    const dir = new RunDirectory(path.resolve(io.cwd, given));
    const cache = args.values["no-cache"] === true ? undefined : stageCacheSettings(io.env);
    const { resumeRun } = await import("../../runtime/run/runner.js");
    try {
      // The plan and the checkpoint are read before the run starts, so these errors come first.
      return await watchRun(io, given, (options) => resumeRun(dir, { ...options, cache }));
    } catch (error) {
      if (error instanceof RunDirectoryError || error instanceof CheckpointError) throw new CommandError(error.message);
      throw error;
    }
  },
};

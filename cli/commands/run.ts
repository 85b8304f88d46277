/**
 * `roux run RECIPE [--set PATH=VALUE]...`: checks the recipe (refusing one with errors), lowers
 * it, creates its run directory and executes the plan on the local runtime. A plan file
 * written by `roux plan` (`.json`) runs as it is. A recipe with `sweep` or `variants` items runs
 * as written, its one base point; `roux sweep` runs the rest (docs/language.md §10).
 *
 * On a terminal it shows the terminal UI, the run going on in a process of its own
 * (own-run.ts); `--no-tui`, or stdout that is not a terminal, prints plain lines instead and
 * trains in this process. `--detach` lets the run outlive the command: `q` leaves the UI with
 * the run going, and without a terminal the command returns once the run has started.
 *
 * The run starts from the longest prefix of its stages found in the stage cache and stores each
 * stage it computes (runtime/stage-cache/README.md); `--no-cache` does neither.
 */
import path from "node:path";
import { isOverrideFile } from "../../compiler/overrides.js";
import { declaresSweep } from "../../compiler/sweep/sweep-spec.js";
import type { ProgramResult } from "../../compiler/program.js";
import type { Plan } from "../../plan/plan.js";
import { readRunnablePlan, RunDirectoryError } from "../../runtime/record/plan-file.js";
import { createRunDirectory, type SourceFile } from "../../runtime/run/run-dir.js";
import { onePositional, type Command } from "../command.js";
import { SET_OPTION } from "../load-recipe.js";
import { planWithSources } from "../plan-recipe.js";
import { CommandError, UsageError } from "../usage-error.js";
import { ownRun } from "../run/own-run.js";
import { stageCacheSettings } from "../run/stage-cache-settings.js";
import { isTerminal } from "../run/terminal-ui.js";
import { watchRun } from "../run/watch-run.js";

const USAGE = "[--no-tui] [--detach] [--no-cache] [--set PATH=VALUE]... RECIPE | PLAN.json";

export const command: Command = {
  usage: USAGE,
  options: {
    ...SET_OPTION,
    "no-tui": { type: "boolean", default: false },
    detach: { type: "boolean", default: false },
    "no-cache": { type: "boolean", default: false },
  },
  async run(args, io) {
    const file = onePositional(args);
    if (file === undefined) throw new UsageError(`give one recipe\nusage: roux run ${USAGE}`);
    const loaded = file.endsWith(".json") ? await planFile(file, args.values.set as string[]) : await planWithSources("run", USAGE, args, io);
    if (loaded === undefined) return 1;
    const { plan, sources } = loaded;
    if (loaded.program && declaresSweep(loaded.program.root.ast)) {
      io.stderr.write(`${file} declares a sweep: this runs the recipe as written; \`roux sweep ${file}\` runs its points\n`);
    }
    if (plan.policy.kind !== "transformer")
      throw new CommandError(`the policy is the hub model ${plan.policy.hub_name}, which the local runtime cannot run (E3401); export it instead`);
    const outBase = path.resolve(io.cwd, plan.settings.out);
    const dir = await createRunDirectory(plan, outBase, runSources(file, sources));
    const shown = path.relative(io.cwd, dir.dir) || dir.dir;
    const ui = args.values["no-tui"] !== true && isTerminal(io);
    const noCache = args.values["no-cache"] === true;
    if (ui || args.values.detach === true) return ownRun(io, dir.dir, shown, plan, { detach: args.values.detach === true, ui, noCache });
    const cache = noCache ? undefined : stageCacheSettings(io.env);
    // The engines (tfjs, onnxruntime) load only for the commands that train: `roux check` stays fast.
    const { startRun } = await import("../../runtime/run/runner.js");
    return watchRun(io, shown, (options) => startRun(dir, plan, { ...options, cache }));
  },
};

async function planFile(file: string, sets: string[]): Promise<{ plan: Plan; sources: Map<string, string>; program?: ProgramResult }> {
  if (sets.length > 0) throw new UsageError("--set applies to a recipe; a plan file runs as it is");
  try {
    const plan = await readRunnablePlan(file);
    return { plan, sources: new Map([[file, `${JSON.stringify(plan, null, 2)}\n`]]) };
  } catch (error) {
    if (error instanceof RunDirectoryError) throw new CommandError(error.message);
    throw error;
  }
}

/** The files a run was made from, named relative to the recipe; `--set` overrides in one file. */
function runSources(main: string, sources: Map<string, string>): SourceFile[] {
  const base = path.dirname(path.resolve(main));
  const files: SourceFile[] = [];
  const overrides: string[] = [];
  for (const [file, text] of sources) {
    if (isOverrideFile(file)) {
      overrides.push(text);
      continue;
    }
    const relative = path
      .relative(base, path.resolve(file))
      .split(path.sep)
      .map((part) => (part === ".." ? "_up" : part))
      .join("/");
    files.push({ name: relative, text });
  }
  if (overrides.length > 0) files.push({ name: "overrides.txt", text: `${overrides.join("\n")}\n` });
  return files;
}

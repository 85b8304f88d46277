/**
 * `roux cost RECIPE`: what each stage costs per step (docs/architecture.md "roux cost"): parameters, tokens, GFLOP for
 * rollouts, training and rewards, peak memory, and an estimate of the stage's time on this
 * machine class. The formulas and the measured throughputs are in compiler/plan/cost.ts.
 * `--format json` gives the same figures to a program. Of a sweep (docs/language.md §10) it
 * prints each point's estimate and the sweep's total.
 */
import { estimateCost, THROUGHPUT, type StageCost } from "../../compiler/plan/cost.js";
import { COST_COLUMNS, costCells } from "../../compiler/plan/cost-cells.js";
import { clock } from "../../tui/clock.js";
import { aligned } from "../columns.js";
import { type Command, onePositional, type ParsedArgs } from "../command.js";
import type { Io } from "../io.js";
import { SET_OPTION } from "../load-recipe.js";
import { isSweep, loadSweepFile } from "../load-sweep.js";
import { planRecipe } from "../plan-recipe.js";
import { formatOption, type OutputFormat, printDiagnostics } from "../report.js";
import { plural } from "../../diagnostics/render-summary.js";
import type { Plan } from "../../plan/plan.js";
import { CommandError } from "../usage-error.js";

const USAGE = "[--format text|json] [--set PATH=VALUE]... RECIPE | SWEEP";

export const command: Command = {
  usage: USAGE,
  options: { format: { type: "string", default: "text" }, ...SET_OPTION },
  async run(args, io) {
    const format = formatOption(args.values.format);
    const file = onePositional(args);
    if (file !== undefined && (await isSweep(file))) return sweepCost(file, args, io, format);
    const plan = await planRecipe("cost", USAGE, args, io);
    if (plan === undefined) return 1;
    const stages = stageCosts(plan);
    const seconds = totalSeconds(stages);
    if (format === "json") {
      io.stdout.write(`${JSON.stringify({ stages, seconds, throughput: THROUGHPUT }, null, 2)}\n`);
      return 0;
    }
    io.stdout.write(aligned([HEADER, ...stages.map(row), ["total", "", "", "", "", "", "", estimate(seconds)]]));
    io.stdout.write(
      `ceilings: every sequence at full length. est. here: ${THROUGHPUT.rollout / 1e9} GFLOP/s rollouts (onnxruntime-node),\n` +
        `${THROUGHPUT.train / 1e9} GFLOP/s training (tfjs-wasm), as measured on this project's 2-core machines\n`,
    );
    return 0;
  },
};

const HEADER = ["stage", ...COST_COLUMNS, "est. here"];

function stageCosts(plan: Plan): StageCost[] {
  if (plan.policy.kind !== "transformer") throw new CommandError(`\`${plan.policy.name}\` is a hub model: \`roux cost\` estimates the local transformer only`);
  return estimateCost(plan);
}

/** One row a point (its stages and estimate), then the total: what the sweep will cost before it runs. */
async function sweepCost(file: string, args: ParsedArgs, io: Io, format: OutputFormat): Promise<number> {
  const { sweep, diagnostics, sources } = await loadSweepFile(file, args, io);
  if (printDiagnostics(diagnostics, sources, [file], "text", io) || sweep === undefined) return 1;
  const points = sweep.points.map((point) => {
    const stages = stageCosts(point.plan);
    return { point: point.name, stages, seconds: totalSeconds(stages) };
  });
  const seconds = points.every((p) => p.seconds !== null) ? points.reduce((sum, p) => sum + p.seconds!, 0) : null;
  if (format === "json") {
    io.stdout.write(`${JSON.stringify({ points, seconds, throughput: THROUGHPUT }, null, 2)}\n`);
    return 0;
  }
  const rows = points.map((p) => [p.point, p.stages.map((s) => s.stage).join(" -> "), estimate(p.seconds)]);
  io.stdout.write(aligned([["point", "stages", "est. here"], ...rows, [`total (${plural(points.length, "run")})`, "", estimate(seconds)]]));
  return 0;
}

function row(cost: StageCost): string[] {
  return [cost.stage, ...costCells(cost), estimate(cost.seconds)];
}

function totalSeconds(stages: StageCost[]): number | null {
  return stages.every((s) => s.seconds !== null) ? stages.reduce((sum, s) => sum + s.seconds!, 0) : null;
}

/** `?` when unknown (a stage in epochs of a file's data). */
function estimate(seconds: number | null): string {
  return seconds === null ? "?" : clock(seconds);
}

/**
 * `roux prm --data NAME -o FILE RECIPE`: trains the arithmetic lab's learned process reward
 * model (runtime/prm/) on step_check's labels for the problems of one of the recipe's std/arith
 * datasets, with the recipe policy's tokenizer and architecture, and writes it as ONNX for an
 * `onnx(...)` reward. The last tenth of the problems is held out and the PRM's agreement with
 * step_check on them is printed.
 */
import path from "node:path";
import type { Plan } from "../../plan/plan.js";
import { architectureOf, type Weights } from "../../runtime/policy/architecture.js";
import { CheckpointError } from "../../runtime/run/checkpoint.js";
import { RunDirectoryError } from "../../runtime/record/plan-file.js";
import { RunDirectory } from "../../runtime/run/run-dir.js";
import { parseExpr, type Expr } from "../../runtime/tasks/arith-expr.js";
import { taskExamples } from "../../runtime/tasks/datasets.js";
import { createTokenizer } from "../../runtime/tokenizer.js";
import type { Command } from "../command.js";
import { SET_OPTION } from "../load-recipe.js";
import { planRecipe } from "../plan-recipe.js";
import { CommandError, UsageError } from "../usage-error.js";

const USAGE = "--data NAME -o FILE [--init RUN_DIR] [--noise P] [--steps N] [--batch N] [--lr X] [--seed N] [--set PATH=VALUE]... RECIPE";
const HELD_OUT = 0.1;
/** Progress lines: this many over a training. */
const PROGRESS_LINES = 10;

export const command: Command = {
  usage: USAGE,
  options: {
    ...SET_OPTION,
    data: { type: "string" },
    init: { type: "string" },
    out: { type: "string", short: "o" },
    noise: { type: "string", default: "0.1" },
    steps: { type: "string", default: "1500" },
    batch: { type: "string", default: "32" },
    lr: { type: "string", default: "2e-3" },
    seed: { type: "string", default: "0" },
  },
  async run(args, io) {
    const data = args.values.data as string | undefined;
    const out = args.values.out as string | undefined;
    if (data === undefined || out === undefined) throw new UsageError(`give the dataset (--data) and the output file (-o)\nusage: roux prm ${USAGE}`);
    const noise = numberOption(args.values.noise, "--noise", 0, 0.5);
    const steps = integerOption(args.values.steps, "--steps");
    const batch = integerOption(args.values.batch, "--batch");
    const lr = numberOption(args.values.lr, "--lr", 0, 1);
    const seed = integerOption(args.values.seed, "--seed", 0);
    const plan = await planRecipe("prm", USAGE, args, io);
    if (plan === undefined) return 1;
    const problems = arithProblems(plan, data);
    const split = Math.max(1, Math.round(problems.length * HELD_OUT));
    if (problems.length - split < 1) throw new CommandError(`\`${data}\` has ${problems.length} problems: too few to train on and hold some out`);
    if (plan.policy.kind !== "transformer")
      throw new CommandError(`the policy is the hub model ${plan.policy.hub_name}; a PRM is trained with a local transformer's tokenizer and architecture`);
    const arch = architectureOf(plan.policy);
    const init = args.values.init === undefined ? undefined : await policyWeights(path.resolve(io.cwd, String(args.values.init)));
    const { trainPrm } = await import("../../runtime/prm/train-prm.js");
    const { writeFileAtomic } = await import("../../runtime/record/atomic-write.js");
    const every = Math.max(1, Math.floor(steps / PROGRESS_LINES));
    const result = await trainPrm({
      arch,
      tokenizer: createTokenizer(plan.policy.tokenizer),
      train: problems.slice(split),
      heldOut: problems.slice(0, split),
      noise,
      steps,
      batch,
      lr,
      seed,
      device: plan.settings.device,
      init,
      onStep: (step, loss) => {
        if (step % every === 0 || step === steps) io.stderr.write(`[prm ${step}/${steps}] loss ${loss.toFixed(3)}\n`);
      },
    });
    const file = path.resolve(io.cwd, out);
    await writeFileAtomic(file, result.onnx);
    const h = result.heldOut;
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    io.stdout.write(
      `wrote ${path.relative(io.cwd, file) || file}: held out ${h.steps} steps of ${split} problems, ` +
        `agreement with step_check ${pct(h.agreement)} (calling every step right: ${pct(h.rightShare)}), ` +
        `wrong steps scored right ${pct(h.falseAccept)}, right steps scored wrong ${pct(h.falseReject)} (label noise ${noise})\n`,
    );
    return 0;
  },
};

/** The newest checkpoint's weights of a run whose policy has the recipe's architecture (checked by the trainer's shapes). */
async function policyWeights(dir: string): Promise<Weights> {
  try {
    const latest = await new RunDirectory(dir).latestCheckpoint();
    if (latest === undefined) throw new CommandError(`${dir} has no checkpoint yet: there is no trained policy to start the PRM from`);
    return latest.checkpoint.weights;
  } catch (error) {
    if (error instanceof RunDirectoryError || error instanceof CheckpointError) throw new CommandError(error.message);
    throw error;
  }
}

/** The problems of a std/arith dataset of the plan, parsed back from their prompts. */
function arithProblems(plan: Plan, name: string): Expr[] {
  const dataset = plan.datasets.find((d) => d.name === name);
  if (dataset === undefined)
    throw new CommandError(`the recipe has no dataset \`${name}\`; its datasets: ${plan.datasets.map((d) => `\`${d.name}\``).join(", ")}`);
  const source = dataset.source;
  if (source.kind !== "task" || source.task !== "arith")
    throw new CommandError(`\`${name}\` is not a std/arith dataset: step labels come from arith.step_check`);
  return taskExamples(source.task, source.generator, source.args).map((e) => {
    const expr = parseExpr(e.prompt);
    if (expr === undefined) throw new Error(`arith: the generated prompt ${JSON.stringify(e.prompt)} does not parse`);
    return expr;
  });
}

function numberOption(value: unknown, flag: string, lo: number, hi: number): number {
  const x = Number(value);
  if (!(Number.isFinite(x) && x >= lo && x <= hi)) throw new UsageError(`${flag} takes a number from ${lo} to ${hi}, not \`${String(value)}\``);
  return x;
}

function integerOption(value: unknown, flag: string, lo = 1): number {
  const x = Number(value);
  if (!(Number.isInteger(x) && x >= lo)) throw new UsageError(`${flag} takes a whole number of at least ${lo}, not \`${String(value)}\``);
  return x;
}

/**
 * A lab run that starts from another run's warm-up: a new run directory for `plan`, holding the
 * warm-up run's record (its metrics, events and eval answers) and its end-of-stage checkpoint, so
 * that `roux resume` on it runs the stages after the warm-up. Every random choice of a run is a
 * function of (seed, stage, step) (runtime/run/seeds.ts), so the forked run computes what
 * `roux run` of the whole plan would have, without training the warm-up again; the lab runs
 * each seed's warm-up once and forks the method, its null control and the SFT continuation
 * from it (lab/README.md "Controls").
 *
 * The fork is refused unless the plan's first stage, policy, seed and the warm-up's datasets and rewards are
 * the warm-up run's: a checkpoint of another warm-up would silently change what is compared.
 */
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { Plan } from "../plan/plan.js";
import { EVENTS_FILE, METRICS_FILE } from "../runtime/record/layout.js";
import { createRunDirectory, RunDirectory } from "../runtime/run/run-dir.js";

export class ForkError extends Error {}

/** Creates the forked run directory under `outBase` and returns its path; `roux resume` runs it. */
export async function forkFromWarmup(warmupDir: string, plan: Plan, outBase: string): Promise<string> {
  const warmup = new RunDirectory(warmupDir);
  const warmupPlan = await warmup.readRunnablePlan();
  const [stage] = warmupPlan.stages;
  if (stage === undefined || warmupPlan.stages.length !== 1) throw new ForkError(`${warmupDir} is not a one-stage warm-up run`);
  const differs = sameWarmup(warmupPlan, plan);
  if (differs !== undefined) throw new ForkError(`${plan.recipe.name} cannot start from ${warmupDir}: its ${differs} differs from the warm-up run's`);
  const latest = await warmup.latestCheckpoint();
  const position = latest?.checkpoint.position;
  if (latest === undefined || position?.stageName !== stage.name || !existsSync(warmup.referenceFile(stage.name))) {
    throw new ForkError(`${warmupDir} has not finished its stage \`${stage.name}\``);
  }
  const fork = await createRunDirectory(plan, outBase, []);
  // Saved in the fork, both checkpoints are stamped as the fork's own (runtime/run/checkpoint.ts):
  // the checks above are what makes the warm-up's weights this plan's.
  await fork.saveReference(stage.name, await warmup.readReference(stage.name));
  await fork.saveCheckpoint(latest.checkpoint);
  await fs.copyFile(path.join(warmupDir, METRICS_FILE), fork.metricsFile);
  // The warm-up's events without its run_end: the log reads as a run that went on to its next stage.
  const events = (await fs.readFile(path.join(warmupDir, EVENTS_FILE), "utf8"))
    .split("\n")
    .filter((line) => line !== "" && !line.includes('"event":"run_end"'));
  await fs.writeFile(fork.eventsFile, `${events.join("\n")}\n`);
  if (existsSync(path.join(warmupDir, "evals"))) await fs.cp(path.join(warmupDir, "evals"), path.join(fork.dir, "evals"), { recursive: true });
  return fork.dir;
}

/** What of the warm-up `plan` does not share with the warm-up run, or undefined when nothing. */
function sameWarmup(warmup: Plan, plan: Plan): string | undefined {
  const stage = warmup.stages[0];
  if (!isDeepStrictEqual(stage, plan.stages[0])) return "first stage";
  if (!isDeepStrictEqual(warmup.policy, plan.policy)) return "policy";
  if (warmup.settings.seed !== plan.settings.seed) return "seed";
  for (const dataset of warmup.datasets) {
    if (
      !isDeepStrictEqual(
        dataset,
        plan.datasets.find((d) => d.name === dataset.name),
      )
    )
      return `dataset \`${dataset.name}\``;
  }
  for (const reward of warmup.rewards) {
    if (
      !isDeepStrictEqual(
        reward,
        plan.rewards.find((r) => r.name === reward.name),
      )
    )
      return `reward \`${reward.name}\``;
  }
  return undefined;
}

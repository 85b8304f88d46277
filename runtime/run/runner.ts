/**
 * Walks a plan's stages in run order, step by step, writing the run directory as it goes
 * (run-dir.ts): a metrics line per step, events, evals at `every`, a checkpoint every
 * `checkpoint_every` steps and at each stage's end, the policy after each stage for later KL
 * references. `resume` continues a run from its newest checkpoint; since every random choice
 * is a function of (seed, stage, step) (seeds.ts), the resumed run computes what the
 * uninterrupted one would have.
 *
 * Order within a step: train, metrics line, eval if due, checkpoint if due. A kill before the
 * checkpoint loses only the steps after the previous one: resume drops their metrics lines
 * (they are computed again, identically; resume-metrics.ts) and keeps every event as the log of what happened.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { checkPlan } from "../../plan/check-plan.js";
import { describeIssues } from "../../plan/plan-issue.js";
import type { Plan, Stage } from "../../plan/plan.js";
import { elementCount, parameterSpecs, type Weights } from "../policy/architecture.js";
import { readStageGraph } from "../reward-graph/stage-graph.js";
import { JsonlLog, rewriteJsonl } from "../record/jsonl-log.js";
import { CheckpointError, type Checkpoint } from "./checkpoint.js";
import { recordEval } from "./eval-record.js";
import { runEval } from "./evaluate.js";
import { now, type MetricsRecord, type Position, type RunEvent, type StageSummary } from "../record/events.js";
import { NonFiniteError } from "./non-finite.js";
import { cutMetricsTo } from "./resume-metrics.js";
import { rlStep } from "./rl-step.js";
import type { RunDirectory } from "./run-dir.js";
import { RunCache, type StageCacheSettings } from "../stage-cache/run-cache.js";
import { keyedStages } from "../stage-cache/stage-key.js";
import { closeSession, openSession, samplerDevice, type Session } from "./session.js";
import { sftStep } from "./sft-step.js";
import { stageShape, stepsOf, type StageShape } from "./stage-clock.js";

export interface RunListener {
  onEvent?(event: RunEvent): void;
  onMetrics?(record: MetricsRecord): void;
}

export interface RunOptions extends RunListener {
  /** Checked between steps: when aborted, the run checkpoints where it is and stops. */
  readonly signal?: AbortSignal;
  /**
   * The stage cache (runtime/stage-cache/README.md): a run that starts from its first step takes
   * the longest cached prefix of its stages, and stores each stage it computes; absent, none.
   */
  readonly cache?: StageCacheSettings;
}

export type RunOutcome = { status: "done" } | { status: "stopped" } | { status: "failed"; message: string };

export async function startRun(dir: RunDirectory, plan: Plan, options: RunOptions = {}): Promise<RunOutcome> {
  return execute(dir, plan, undefined, options);
}

/** Continues a run from its newest checkpoint (from the start when it wrote none yet). */
export async function resumeRun(dir: RunDirectory, options: RunOptions = {}): Promise<RunOutcome> {
  const plan = await dir.readRunnablePlan();
  const latest = await dir.latestCheckpoint();
  // Killed before its first checkpoint: start again, without the lines of the lost steps (a run
  // killed before its first step, or never started, has no metrics file at all).
  if (latest === undefined && existsSync(dir.metricsFile)) await rewriteJsonl(dir.metricsFile, () => false);
  return execute(dir, plan, latest, options);
}

async function execute(dir: RunDirectory, plan: Plan, from: Awaited<ReturnType<RunDirectory["latestCheckpoint"]>>, options: RunOptions): Promise<RunOutcome> {
  const events = new JsonlLog(dir.eventsFile);
  const emit = (event: RunEvent) => {
    events.append(event);
    options.onEvent?.(event);
  };
  let session: Session | undefined;
  let cache: RunCache | undefined;
  const where: { stage?: string; step?: number } = {};
  try {
    // A plan is input like any other: one that breaks a rule fails the run before anything loads.
    const issues = checkPlan(plan);
    if (issues.length > 0) throw new Error(describeIssues(issues));
    session = await openSession(plan);
    const stages = plan.stages.map((stage, index): StagePlan => ({ stage, index, shape: stageShape(stage, (name) => session!.datasets.get(name)!.length) }));
    let start: Position = { stage: 0, stageName: plan.stages[0]?.name ?? "", step: 0 };
    if (from !== undefined) {
      start = from.checkpoint.position;
      await restore(session, dir, plan, from.checkpoint);
      const cut = await cutMetricsTo(dir.metricsFile, summaries(stages), start);
      emit({
        event: "resume",
        time: now(),
        from: start,
        checkpoint: path.basename(from.file),
        droppedMetrics: cut.dropped,
        stages: summaries(stages),
        pid: process.pid,
      });
      for (const message of cut.warnings) emit({ event: "warning", time: now(), stage: start.stageName, step: start.step, message });
      if (from.checkpoint.stamp === undefined) {
        const message = `${path.basename(from.file)} predates checkpoint stamps: it cannot be checked to be this run's (plan ${plan.hash})`;
        emit({ event: "warning", time: now(), stage: start.stageName, step: start.step, message });
      }
      // restore() has checked that the checkpoint's stage is one of the plan's.
      const resumed = stages[start.stage];
      if (resumed !== undefined && start.step >= resumed.shape.steps) {
        start = { stage: start.stage + 1, stageName: plan.stages[start.stage + 1]?.name ?? "", step: 0 };
      }
    } else {
      emit({
        event: "run_start",
        time: now(),
        recipe: plan.recipe.name,
        hash: plan.hash,
        dir: dir.dir,
        backend: session.engine.backendDescription,
        sampler: "onnxruntime-node",
        stages: summaries(stages),
        pid: process.pid,
      });
      // Only a run from its first step: a resumed one's earlier steps may have read files that have changed since.
      if (options.cache !== undefined) {
        const keys = await keyedStages(plan, { training: session.engine.kernels, sampling: samplerDevice(plan) }, options.cache.loads);
        cache = new RunCache({ settings: options.cache, plan, run: dir, keys, emit, record: (e) => events.append(e), signal: options.signal });
        const cached = await cache.start();
        if (cached !== undefined) {
          await restore(session, dir, plan, cached.checkpoint);
          start = { stage: cached.stages, stageName: plan.stages[cached.stages]?.name ?? "", step: 0 };
        }
      }
    }
    const metrics = new JsonlLog(dir.metricsFile);
    try {
      for (const { stage, index, shape } of stages.slice(start.stage)) {
        const outcome = await runStage(session, dir, stage, index, shape, index === start.stage ? start.step : 0, { ...options, emit, metrics, where });
        if (outcome === "stopped") {
          emit({ event: "run_end", time: now(), status: "stopped" });
          return { status: "stopped" };
        }
        await cache?.stageDone(index, shape.steps);
      }
    } finally {
      metrics.close();
    }
    emit({ event: "run_end", time: now(), status: "done" });
    return { status: "done" };
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    emit({ event: "error", time: now(), ...where, node: error instanceof NonFiniteError ? error.node : undefined, message });
    emit({ event: "run_end", time: now(), status: "failed" });
    return { status: "failed", message };
  } finally {
    await cache?.release();
    if (session) await closeSession(session);
    events.close();
  }
}

/** A stage of the plan with its place in it and its steps. */
interface StagePlan {
  readonly stage: Stage;
  readonly index: number;
  readonly shape: StageShape;
}

interface StageRun extends RunOptions {
  emit(event: RunEvent): void;
  metrics: JsonlLog;
  where: { stage?: string; step?: number };
}

async function runStage(
  session: Session,
  dir: RunDirectory,
  stage: Stage,
  index: number,
  shape: StageShape,
  first: number,
  run: StageRun,
): Promise<"done" | "stopped"> {
  const { plan, engine } = session;
  const started = performance.now();
  if (first === 0) {
    // Each stage has its own optimizer (docs/language.md §5 "Stages": `optimizer` is a stage's field).
    engine.setOptimizerState(undefined);
    run.emit({ event: "stage_start", time: now(), stage: stage.name, kind: stage.kind, steps: shape.steps });
  }
  const every = stepsOf(plan.settings.checkpoint_every, shape.clock, "run.checkpoint_every");
  const evalEvery = stage.eval ? stepsOf(stage.eval.every, shape.clock, `stage \`${stage.name}\`'s eval.every`) : 0;
  // A stage whose graph cannot be read fails at its first step.
  run.where.stage = stage.name;
  run.where.step = first + 1;
  const trainStep = stageStep(session, stage, index, shape);
  for (let step = first; step < shape.steps; step++) {
    if (run.signal?.aborted) {
      await checkpoint(session, dir, stage, index, step, run);
      return "stopped";
    }
    run.where.stage = stage.name;
    run.where.step = step + 1;
    const { metrics: record, warnings } = await trainStep(step);
    for (const message of warnings) run.emit({ event: "warning", time: now(), stage: stage.name, step: step + 1, message });
    run.metrics.append(record);
    run.onMetrics?.(record);
    const done = step + 1;
    const last = done === shape.steps;
    if (stage.eval && ((evalEvery > 0 && done % evalEvery === 0) || last)) {
      const result = await runEval(session, stage.eval, { stage: index, step: done });
      for (const message of result.warnings) run.emit({ event: "warning", time: now(), stage: stage.name, step: done, message });
      run.emit(await recordEval(dir, result, stage.name, done));
    }
    if (last) {
      const weights = engine.weights();
      session.references.set(stage.name, weights);
      await dir.saveReference(stage.name, { position: { stage: index, stageName: stage.name, step: done }, weights, optimizer: null });
    }
    if (last || (every > 0 && done % every === 0)) await checkpoint(session, dir, stage, index, done, run);
  }
  run.emit({ event: "stage_end", time: now(), stage: stage.name, steps: shape.steps, seconds: (performance.now() - started) / 1000 });
  return "done";
}

interface StepRecord {
  readonly metrics: MetricsRecord;
  readonly warnings: readonly string[];
}

/**
 * The stage's step function. What it reads of the plan is read here, once for the stage: an RL
 * stage's graph (runtime/reward-graph/stage-graph.ts).
 */
function stageStep(session: Session, stage: Stage, index: number, shape: StageShape): (step: number) => Promise<StepRecord> {
  if (stage.kind === "sft") return async (step) => ({ metrics: sftStep(session, stage, index, shape, step), warnings: [] });
  const graph = readStageGraph(session.plan, stage);
  return (step) => rlStep(session, graph, index, shape, step);
}

async function checkpoint(session: Session, dir: RunDirectory, stage: Stage, index: number, step: number, run: StageRun): Promise<void> {
  run.metrics.sync();
  const file = await dir.saveCheckpoint({
    position: { stage: index, stageName: stage.name, step },
    weights: session.engine.weights(),
    optimizer: session.engine.optimizerState(),
  });
  run.emit({ event: "checkpoint", time: now(), stage: stage.name, step, file: path.relative(dir.dir, file) });
}

/** Weights and optimizer from the checkpoint, and the reference policies of the stages before it. */
async function restore(session: Session, dir: RunDirectory, plan: Plan, checkpoint: Checkpoint): Promise<void> {
  const { position } = checkpoint;
  if (plan.stages[position.stage]?.name !== position.stageName) {
    throw new CheckpointError(`the checkpoint is at stage \`${position.stageName}\`, which is not stage ${position.stage + 1} of this run's plan`);
  }
  checkShapes(session, checkpoint.weights);
  session.engine.setWeights(checkpoint.weights);
  session.engine.setOptimizerState(checkpoint.optimizer ?? undefined);
  // Every stage before the checkpoint's has its reference; the checkpoint's own stage has one
  // when the checkpoint is its last step.
  for (const [i, { name }] of plan.stages.slice(0, position.stage + 1).entries()) {
    if (i === position.stage && !existsSync(dir.referenceFile(name))) break;
    const reference = await dir.readReference(name);
    checkShapes(session, reference.weights);
    session.references.set(name, reference.weights);
  }
}

function checkShapes(session: Session, weights: Weights): void {
  for (const spec of parameterSpecs(session.arch)) {
    const got = weights.get(spec.name);
    const size = elementCount(spec.shape);
    if (got === undefined || got.length !== size) {
      throw new CheckpointError(
        `the checkpoint's weight \`${spec.name}\` ${got === undefined ? "is missing" : `has ${got.length} values, the policy ${size}`}: ` +
          "it is not a checkpoint of this run's policy",
      );
    }
  }
}

function summaries(stages: readonly StagePlan[]): StageSummary[] {
  return stages.map(({ stage, shape }) => ({ name: stage.name, kind: stage.kind, steps: shape.steps }));
}

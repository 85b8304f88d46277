/**
 * Writes a run's directory (its layout and file names: runtime/record/layout.ts) and reads back
 * what `roux resume` and `roux eval` need: the plan and the newest checkpoint.
 */
import { randomUUID } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import type { Plan } from "../../plan/plan.js";
import {
  CHECKPOINT_DIR,
  checkpointName,
  EVENTS_FILE,
  LATEST_FILE,
  METRICS_FILE,
  PLAN_FILE,
  RECIPE_DIR,
  referenceName,
  RUN_INFO_FILE,
} from "../record/layout.js";
import { writeFileAtomic } from "../record/atomic-write.js";
import { CheckpointError, checkStamp, readCheckpoint, type Checkpoint, type Stamp, writeCheckpoint } from "./checkpoint.js";
import { describeFsError } from "../../plan/fs-error.js";
import { readRunnablePlan, RunDirectoryError } from "../record/plan-file.js";

export interface SourceFile {
  /** The name to store it under, relative (`flagship.recipe`, `std/arith.recipe`). */
  readonly name: string;
  readonly text: string;
}

export class RunDirectory {
  private ownStamp: Promise<Stamp> | undefined;

  constructor(readonly dir: string) {}

  /**
   * What this run stamps its checkpoints with and accepts in them (checkpoint.ts): run.json's plan
   * hash and the run's `id`; a run created before ids is identified by when it started.
   */
  stamp(): Promise<Stamp> {
    this.ownStamp ??= (async () => {
      const file = path.join(this.dir, RUN_INFO_FILE);
      let info: { hash?: unknown; id?: unknown; started?: unknown };
      try {
        info = JSON.parse(await fs.readFile(file, "utf8")) as typeof info;
      } catch (error) {
        throw new RunDirectoryError(`cannot read ${file}: ${error instanceof SyntaxError ? "it is not JSON" : describeFsError(error)}`);
      }
      const run = info.id ?? info.started;
      if (typeof info.hash !== "string" || typeof run !== "string") throw new RunDirectoryError(`${file} does not say which plan and run it is (hash, id)`);
      return { plan: info.hash, run };
    })();
    return this.ownStamp;
  }

  get metricsFile(): string {
    return path.join(this.dir, METRICS_FILE);
  }

  get eventsFile(): string {
    return path.join(this.dir, EVENTS_FILE);
  }

  /** Written whole or not at all: a reader never sees half an eval. */
  async saveEvalAnswers(relative: string, answers: readonly unknown[]): Promise<void> {
    const file = path.join(this.dir, relative);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, answers.map((a) => `${JSON.stringify(a)}\n`).join(""));
  }

  private get ckptDir(): string {
    return path.join(this.dir, CHECKPOINT_DIR);
  }

  checkpointFile(stage: string, step: number): string {
    return path.join(this.ckptDir, checkpointName(stage, step));
  }

  referenceFile(stage: string): string {
    return path.join(this.ckptDir, referenceName(stage));
  }

  /** Writes the checkpoint, then points LATEST at it: a kill between the two leaves the older one current. */
  async saveCheckpoint(checkpoint: Checkpoint): Promise<string> {
    const file = this.checkpointFile(checkpoint.position.stageName, checkpoint.position.step);
    await writeCheckpoint(file, { ...checkpoint, stamp: await this.stamp() });
    await writeFileAtomic(path.join(this.ckptDir, LATEST_FILE), `${path.basename(file)}\n`);
    return file;
  }

  async saveReference(stage: string, checkpoint: Checkpoint): Promise<void> {
    await writeCheckpoint(this.referenceFile(stage), { ...checkpoint, stamp: await this.stamp() });
  }

  /** The policy as it was after `stage`, refused when stamped for another plan or run. */
  async readReference(stage: string): Promise<Checkpoint> {
    return this.readOwn(this.referenceFile(stage));
  }

  private async readOwn(file: string): Promise<Checkpoint> {
    const checkpoint = await readCheckpoint(file);
    checkStamp(file, checkpoint, await this.stamp());
    return checkpoint;
  }

  /** The newest checkpoint, or undefined when the run has none yet. */
  async latestCheckpoint(): Promise<{ file: string; checkpoint: Checkpoint } | undefined> {
    const pointer = path.join(this.ckptDir, LATEST_FILE);
    if (!existsSync(pointer)) return undefined;
    const name = (await fs.readFile(pointer, "utf8")).trim();
    const file = path.join(this.ckptDir, name);
    if (name === "" || name.includes("/") || !existsSync(file)) {
      throw new CheckpointError(`${pointer} names checkpoint \`${name}\`, which is not in ${this.ckptDir}`);
    }
    return { file, checkpoint: await this.readOwn(file) };
  }

  /** The plan the run executes, to run it again (`resume`, `eval`): checked as `readRunnablePlan` checks it. */
  async readRunnablePlan(): Promise<Plan> {
    return readRunnablePlan(this.planFile());
  }

  private planFile(): string {
    const file = path.join(this.dir, PLAN_FILE);
    if (!existsSync(file)) throw new RunDirectoryError(`${this.dir} is not a run directory: it has no ${PLAN_FILE}`);
    return file;
  }
}

/** A new, empty run directory with the plan and the sources written, under `outBase`. */
export async function createRunDirectory(plan: Plan, outBase: string, sources: readonly SourceFile[], at = new Date()): Promise<RunDirectory> {
  const stamp = at.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const base = path.join(outBase, `${plan.recipe.name}-${stamp}`);
  let dir = base;
  for (let n = 2; ; n++) {
    try {
      await fs.mkdir(path.dirname(dir), { recursive: true });
      await fs.mkdir(dir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new RunDirectoryError(`cannot create ${dir}: ${describeFsError(error)}`);
      dir = `${base}-${n}`;
    }
  }
  await fs.mkdir(path.join(dir, CHECKPOINT_DIR));
  for (const source of sources) {
    const file = path.join(dir, RECIPE_DIR, source.name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, source.text);
  }
  await writeFileAtomic(path.join(dir, PLAN_FILE), `${JSON.stringify(plan, null, 2)}\n`);
  const info = { recipe: plan.recipe.name, hash: plan.hash, id: randomUUID(), started: at.toISOString() };
  await writeFileAtomic(path.join(dir, RUN_INFO_FILE), `${JSON.stringify(info, null, 2)}\n`);
  return new RunDirectory(dir);
}

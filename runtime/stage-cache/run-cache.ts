/**
 * A run's use of the stage cache (runtime/stage-cache/README.md "A run and the cache"): at the
 * start of a run, the longest prefix of its stages found in the cache is put into its run
 * directory, as if the run had trained it (checkpoints stamped as the run's own, metrics lines
 * marked `cached` with their stage's key, a `stage_cached` event per stage), and the run goes on
 * from the last cached stage's end as `roux resume` would; as each stage it computes ends, its
 * entry is stored. Since every random choice is a function of (seed, stage, step)
 * (runtime/run/README.md "Decisions"), the run computes what it would have without the cache.
 *
 * The first stage not cached is locked while it is computed, and the lock is handed from stage
 * to stage (the next one is taken before this one is let go), so a second run of the same
 * prefix waits for each entry rather than training it too.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import type { Plan } from "../../plan/plan.js";
import { writeFileAtomic } from "../record/atomic-write.js";
import { now, type RunEvent } from "../record/events.js";
import { describeFsError } from "../../plan/fs-error.js";
import { readJsonl } from "../record/jsonl-log.js";
import { CHECKPOINT_DIR, checkpointName, EVENTS_FILE, METRICS_FILE, referenceName } from "../record/layout.js";
import { type Checkpoint, readCheckpoint } from "../run/checkpoint.js";
import type { RunDirectory } from "../run/run-dir.js";
import { entryDir, type EntryInfo, markUsed, type NewFile, readEntry, removeEntry, storeEntry } from "./entry-store.js";
import { collectGarbage } from "./gc.js";
import { type StageLock, tryLock, waitWhileLocked } from "./stage-lock.js";
import type { CodeLoads, StageKey } from "./stage-key.js";

export interface StageCacheSettings {
  /** The cache's folder, `$ROUX_CACHE/stages` (the caller resolves ROUX_CACHE). */
  readonly dir: string;
  /** Past this size, least recently used entries are removed after each store (gc.ts). */
  readonly maxBytes: number;
  /** The files a JS/TS reward module loads, for the key (stage-key.ts `CodeLoads`). */
  readonly loads?: CodeLoads;
}

/** The events of a stage, kept in its entry: not the run's own starts and ends, nor the cache's. */
const STAGE_EVENTS: ReadonlySet<string> = new Set<RunEvent["event"]>(["stage_start", "stage_end", "eval", "checkpoint", "warning"]);

export interface RunCacheContext {
  readonly settings: StageCacheSettings;
  readonly plan: Plan;
  readonly run: RunDirectory;
  /** One key per stage of the plan (stage-key.ts). */
  readonly keys: readonly StageKey[];
  /** An event of the run, written and shown. */
  emit(event: RunEvent): void;
  /** An event copied from an entry: written to the run's log only (it happened in another run). */
  record(event: object): void;
  readonly signal?: AbortSignal;
}

export class RunCache {
  private lock: { stage: number; held: StageLock } | undefined;

  constructor(private readonly context: RunCacheContext) {}

  /** Puts the longest cached prefix into the run directory; its last stage's end-of-stage checkpoint, or undefined when none is cached. */
  async start(): Promise<{ stages: number; checkpoint: Checkpoint } | undefined> {
    const { keys, settings, signal } = this.context;
    let last: { index: number; info: EntryInfo } | undefined;
    for (let i = keys.length - 1; i >= 0 && last === undefined; i--) {
      const info = await this.usable(i);
      if (info !== undefined) last = { index: i, info };
    }
    for (let i = (last?.index ?? -1) + 1; i < keys.length; i++) {
      const { key } = keys[i]!;
      const attempt = await tryLock(settings.dir, key);
      if ("held" in attempt) {
        this.lock = { stage: i, held: attempt.held };
        break;
      }
      this.context.emit({ event: "cache_wait", time: now(), stage: this.stageName(i), key, pid: attempt.holder });
      await waitWhileLocked(settings.dir, key, signal);
      if (signal?.aborted) break;
      const info = await this.usable(i);
      if (info === undefined)
        i--; // its holder stopped without storing it: try to take the lock again
      else last = { index: i, info };
    }
    if (last === undefined) return undefined;
    return { stages: last.index + 1, checkpoint: await this.restore(last.index, last.info) };
  }

  /** After stage `index`, computed by this run, ended: stores its entry and hands the lock on to the next stage. */
  async stageDone(index: number, steps: number): Promise<void> {
    const { settings, keys } = this.context;
    try {
      await this.store(index, steps);
      await collectGarbage(settings.dir, settings.maxBytes, keys[index]!.key);
    } catch (error) {
      // The run's own record is whole: a cache that cannot be written costs later runs time, not this one its result.
      const message = `the stage cache could not store stage \`${this.stageName(index)}\`: ${describeFsError(error)}`;
      this.context.emit({ event: "warning", time: now(), stage: this.stageName(index), message });
    }
    const next = index + 1 < keys.length ? await tryLock(settings.dir, keys[index + 1]!.key) : undefined;
    await this.release();
    // Held by another run: it is computing the same stage; this run computes it too, rather than wait mid-run.
    if (next !== undefined && "held" in next) this.lock = { stage: index + 1, held: next.held };
  }

  async release(): Promise<void> {
    await this.lock?.held.release();
    this.lock = undefined;
  }

  private stageName(index: number): string {
    return this.context.plan.stages[index]?.name ?? "";
  }

  /** The entry of stage `index` when it is whole; one that is not is reported and removed. */
  private async usable(index: number): Promise<EntryInfo | undefined> {
    const { settings, keys } = this.context;
    const { key } = keys[index]!;
    const read = await readEntry(settings.dir, key);
    if (read.status === "ok") return read.info;
    if (read.status === "invalid") {
      this.context.emit({ event: "cache_rejected", time: now(), stage: this.stageName(index), key, reason: read.reason });
      await removeEntry(settings.dir, key);
    }
    return undefined;
  }

  /** Writes the entry's record and checkpoints into the run directory, as this run's own. */
  private async restore(index: number, info: EntryInfo): Promise<Checkpoint> {
    const { settings, keys, plan, run } = this.context;
    const folder = entryDir(settings.dir, info.key);
    for (const file of info.files) {
      if (!file.path.startsWith("evals/")) continue;
      await fs.mkdir(path.dirname(path.join(run.dir, file.path)), { recursive: true });
      await fs.copyFile(path.join(folder, file.path), path.join(run.dir, file.path));
    }
    const stageKey = new Map(plan.stages.map((stage, i) => [stage.name, keys[i]!.key]));
    const metrics = (await readJsonl(path.join(folder, METRICS_FILE))).records;
    await writeFileAtomic(run.metricsFile, metrics.map((line) => `${JSON.stringify({ ...line, cached: stageKey.get(String(line.stage)) })}\n`).join(""));
    for (const event of (await readJsonl(path.join(folder, EVENTS_FILE))).records) this.context.record(event);
    // Saved through the run directory, the checkpoints are stamped as this run's (runtime/run/checkpoint.ts):
    // the key is what makes the entry's weights this plan's.
    for (const stage of plan.stages.slice(0, index + 1)) {
      await run.saveReference(stage.name, await readCheckpoint(path.join(folder, CHECKPOINT_DIR, referenceName(stage.name))));
    }
    const checkpoint = await readCheckpoint(path.join(folder, info.checkpoint));
    await run.saveCheckpoint(checkpoint);
    for (const [i, stage] of plan.stages.slice(0, index + 1).entries()) {
      this.context.emit({ event: "stage_cached", time: now(), stage: stage.name, key: keys[i]!.key });
    }
    await markUsed(settings.dir, info.key);
    return checkpoint;
  }

  /** Stage `index`'s entry from the run directory: the record of stages 0..index, their policies and the stage's last checkpoint. */
  private async store(index: number, steps: number): Promise<void> {
    const { settings, keys, plan, run } = this.context;
    const events = (await readJsonl(run.eventsFile)).records;
    // This attempt's only: a run killed before its first checkpoint started again, and its lost attempt's events stay in the log.
    const started = events.map((e) => e.event).lastIndexOf("run_start");
    const attempt = events.slice(started + 1).filter((e) => STAGE_EVENTS.has(String(e.event)));
    const metrics = (await readJsonl(run.metricsFile)).records.map(({ cached: _cached, ...line }) => line);
    const stage = plan.stages[index]!;
    const checkpoint = path.posix.join(CHECKPOINT_DIR, checkpointName(stage.name, steps));
    const files: NewFile[] = [
      { path: METRICS_FILE, text: metrics.map((line) => `${JSON.stringify(line)}\n`).join("") },
      { path: EVENTS_FILE, text: attempt.map((e) => `${JSON.stringify(e)}\n`).join("") },
      ...attempt.flatMap((e) => (e.event === "eval" ? [{ path: String(e.answers), from: path.join(run.dir, String(e.answers)) }] : [])),
      ...plan.stages.slice(0, index + 1).map((s) => ({ path: path.posix.join(CHECKPOINT_DIR, referenceName(s.name)), from: run.referenceFile(s.name) })),
      { path: checkpoint, from: run.checkpointFile(stage.name, steps) },
    ];
    const { key, material } = keys[index]!;
    await storeEntry(
      settings.dir,
      { key, material, recipe: plan.recipe.name, stage: stage.name, index, seed: plan.settings.seed, created: new Date().toISOString(), checkpoint },
      files,
    );
  }
}

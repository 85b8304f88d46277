/**
 * Runs a sweep's points into its directory (sweep-dir.ts), `jobs` at a time, each as a `roux`
 * child process, as a user would run it alone: `roux run --no-tui PLAN.json` for a new point,
 * `roux resume RUN_DIR` for one stopped or killed (point-state.ts). Points that share their first
 * stages start in the order schedule.ts gives, so each shared stage trains once and the others
 * take it from the stage cache. Side by side, the runs share the threads (ROUX_THREADS) evenly
 * instead of each taking every core. The children are in this process's process group: killing
 * the group kills the sweep whole, and `roux sweep` again continues it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, promises as fs, openSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Plan } from "../../plan/plan.js";
import { POLL_MS } from "../../runtime/record/follow-run.js";
import { writeFileAtomic } from "../../runtime/record/atomic-write.js";
import { processAlive } from "../../runtime/record/status.js";
import { PointFollower, pendingRow, type SweepRow } from "../../tui/sweep-row.js";
import { CommandError } from "../usage-error.js";
import { pointStart } from "./point-state.js";
import { nextPoint, type Running } from "./schedule.js";
import {
  isSweepDirectory,
  LOGS_DIR,
  logFile,
  PLANS_DIR,
  planFile,
  planHash,
  pointPlan,
  pointRuns,
  readSweepRecord,
  writeSweepRecord,
  type PointToRun,
} from "./sweep-dir.js";

export interface SweepOptions {
  readonly dir: string;
  readonly name: string;
  /** The sweep's file, as sweep.json records it. */
  readonly file: string;
  readonly points: readonly PointToRun[];
  readonly jobs: number;
  /** One key per stage of a plan: points whose plans share a prefix of keys share those stages. */
  readonly stageKeys: (plan: Plan) => Promise<readonly string[]>;
  /** The `roux` script the children run. */
  readonly roux: string;
  readonly env: NodeJS.ProcessEnv;
  /** Flags added to each child's `roux run` or `roux resume` (`--no-cache`). */
  readonly childFlags?: readonly string[];
  /** Aborted: start nothing more, and (with `interruptChildren`) stop the running children with SIGINT. */
  readonly signal?: AbortSignal;
  /** The children share no terminal with this process (the UI holds it), so a stop is sent to them. */
  readonly interruptChildren?: boolean;
  /** A line for the sweep's log: a point started, kept, finished, moved aside. */
  readonly log: (line: string) => void;
  /** The rows changed. */
  readonly changed?: (rows: readonly SweepRow[]) => void;
}

interface Point {
  readonly spec: PointToRun;
  readonly keys: readonly string[];
  /** How it starts when its turn comes. */
  start: { kind: "new" } | { kind: "resume"; dir: string };
  follower?: PointFollower;
  child?: ChildProcess;
  /** The child's exit: its status, or the signal that ended it. */
  exit?: string;
  /** Failed without a run directory (its plan refused): the row says so. */
  failedEarly?: boolean;
}

export interface SweepOutcome {
  readonly rows: readonly SweepRow[];
  /** Points that did not end done. */
  readonly unfinished: readonly string[];
}

export async function runSweep(options: SweepOptions): Promise<SweepOutcome> {
  const { dir } = options;
  await claim(dir);
  await fs.mkdir(path.join(dir, PLANS_DIR), { recursive: true });
  await fs.mkdir(path.join(dir, LOGS_DIR), { recursive: true });
  await writeSweepRecord(dir, {
    name: options.name,
    file: options.file,
    points: options.points.map((p) => ({ name: p.name, variant: p.variant, values: p.values, plan: planHash(p.plan) })),
    pid: process.pid,
  });
  const points: Point[] = [];
  const pending: Point[] = [];
  const running: Point[] = [];
  for (const spec of options.points) {
    const plan = pointPlan(dir, spec);
    await writeFileAtomic(planFile(dir, spec.name), `${JSON.stringify(plan, null, 2)}\n`);
    const start = await pointStart(dir, { ...spec, plan }, (run, why) => options.log(`${spec.name}: moved ${run} aside: ${why}`));
    const point: Point = { spec, keys: await options.stageKeys(plan), start: { kind: "new" } };
    points.push(point);
    if (start.kind === "new") pending.push(point);
    else if (start.kind === "resume") {
      point.start = start;
      point.follower = new PointFollower(spec.name, start.dir);
      pending.push(point);
    } else {
      point.follower = new PointFollower(spec.name, start.dir);
      if (start.kind === "alive") running.push(point);
      options.log(
        start.kind === "done" ? `${spec.name}: kept, done earlier with the same plan` : `${spec.name}: followed, its process ${start.pid} is still running it`,
      );
    }
  }
  const env = { ...options.env, ...threadShare(options.env, options.jobs) };
  const rows = () =>
    points.map((p) => (p.failedEarly ? { ...pendingRow(p.spec.name), status: "failed" as const } : (p.follower?.row() ?? pendingRow(p.spec.name))));
  let stopping = false;
  const stop = () => {
    stopping = true;
    if (options.interruptChildren) for (const p of running) p.child?.kill("SIGINT");
  };
  options.signal?.addEventListener("abort", stop, { once: true });
  try {
    for (const p of points) await p.follower?.poll();
    options.changed?.(rows());
    while (running.length > 0 || (!stopping && pending.length > 0)) {
      while (!stopping && running.length < options.jobs) {
        const index = nextPoint(pending, running.map(progress));
        if (index === undefined) break;
        const [point] = pending.splice(index, 1);
        running.push(point!);
        launch(point!, options, env);
      }
      await sleep(POLL_MS);
      let changed = false;
      for (const point of [...running]) {
        if (point.follower === undefined) {
          // Its run directory appears before its first event: the row says `starting` from then on.
          point.follower = await newRun(dir, point.spec.name);
          changed ||= point.follower !== undefined;
        }
        changed = ((await point.follower?.poll()) ?? false) || changed;
        for (const note of point.follower?.notes.splice(0) ?? []) options.log(note);
        const over = point.child === undefined ? point.follower?.finished === true : point.exit !== undefined;
        if (!over) continue;
        // The process has exited, so what it wrote is all there is.
        await point.follower?.poll();
        running.splice(running.indexOf(point), 1);
        changed = true;
        const status = point.follower?.row().status;
        if (point.follower === undefined) point.failedEarly = true;
        if (status === "done") options.log(`${point.spec.name}: done`);
        else if (point.child === undefined && !stopping) {
          // A run another process was writing ended unfinished: this sweep takes it over.
          point.start = { kind: "resume", dir: point.follower!.dir };
          pending.push(point);
        } else {
          const shown = status === undefined || status === "starting" ? "ended before its run started" : status;
          options.log(`${point.spec.name}: ${shown} (${point.exit ?? "not ours"}; its output is in ${path.relative(dir, logFile(dir, point.spec.name))})`);
        }
      }
      if (changed) options.changed?.(rows());
    }
  } finally {
    options.signal?.removeEventListener("abort", stop);
  }
  const final = rows();
  return { rows: final, unfinished: final.filter((r) => r.status !== "done").map((r) => r.name) };
}

/** One `roux sweep` per directory: a second one would start the same points twice. */
async function claim(dir: string): Promise<void> {
  if (!isSweepDirectory(dir)) return;
  const { pid } = await readSweepRecord(dir).catch(() => ({ pid: undefined }));
  if (typeof pid !== "number" || pid === process.pid || !processAlive(pid)) return;
  throw new CommandError(`a roux sweep (process ${pid}) is running ${dir} already; follow it with: roux watch ${dir}`);
}

function progress(point: Point): Running {
  return { keys: point.keys, stagesEnded: point.follower?.row().stagesEnded ?? 0 };
}

function launch(point: Point, options: SweepOptions, env: NodeJS.ProcessEnv): void {
  const { dir } = options;
  const name = point.spec.name;
  const flags = options.childFlags ?? [];
  const args = point.start.kind === "resume" ? ["resume", ...flags, point.start.dir] : ["run", "--no-tui", ...flags, planFile(dir, name)];
  const log = openSync(logFile(dir, name), "a");
  try {
    const child = spawn(process.execPath, [...process.execArgv, options.roux, ...args], { env, stdio: ["ignore", log, log] });
    point.child = child;
    point.exit = undefined;
    child.once("exit", (code, signal) => (point.exit = signal ?? `exit ${code}`));
    child.once("error", (error) => (point.exit = error.message));
  } finally {
    closeSync(log);
  }
  options.log(`${name}: ${point.start.kind === "resume" ? "resumed" : "started"}`);
}

/** The run `roux run` made in the point's directory, once it has made it. */
async function newRun(dir: string, name: string): Promise<PointFollower | undefined> {
  const run = (await pointRuns(dir, name)).at(-1);
  return run === undefined ? undefined : new PointFollower(name, run);
}

/**
 * Each of `jobs` runs side by side gets an even share of the threads (ROUX_THREADS, or the
 * machine's cores), at least one: together they use the cores without fighting over them.
 */
export function threadShare(env: NodeJS.ProcessEnv, jobs: number): { ROUX_THREADS?: string } {
  if (jobs <= 1) return {};
  const total = env.ROUX_THREADS === undefined ? os.availableParallelism() : Number(env.ROUX_THREADS);
  return { ROUX_THREADS: String(Math.max(1, Math.floor(total / jobs))) };
}

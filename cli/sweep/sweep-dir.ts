/**
 * A sweep's directory, `runs/<sweep name>/` unless `--out` names another: its layout, and
 * sweep.json, the record of what the sweep is. Every reader (`roux sweep` run again, `roux
 * watch`, `roux runs`, `roux compare`) takes the names from here.
 *
 *   sweep.json                 the sweep: its file, its points (name, variant, values, plan hash),
 *                              and the process of the `roux sweep` running it
 *   plans/<point>.json         the plan a point's run runs (`roux run --no-tui PLAN.json`)
 *   logs/<point>.log           what the point's process printed
 *   <point>/<run directory>    the point's run, made by `roux run` (runtime/record/layout.ts)
 *   superseded/<point>/<run>   earlier runs of a point whose plan changed, moved aside, never deleted
 *
 * A point's directory is its name, which is safe as a directory name and stable from one load
 * of the sweep to the next: `roux sweep FILE` run again finds its runs there.
 */
import { createHash } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { canonicalJson } from "../../plan/canonical-json.js";
import type { Plan } from "../../plan/plan.js";
import { writeFileAtomic } from "../../runtime/record/atomic-write.js";
import { describeFsError } from "../../plan/fs-error.js";
import { RUN_INFO_FILE } from "../../runtime/record/layout.js";
import { RunDirectoryError } from "../../runtime/record/plan-file.js";

export const SWEEP_FILE = "sweep.json";
export const PLANS_DIR = "plans";
export const LOGS_DIR = "logs";
export const SUPERSEDED_DIR = "superseded";

/** A point of a sweep as the runner takes it: compiler/sweep's SweepPoint has these fields. */
export interface PointToRun {
  readonly name: string;
  readonly variant: string;
  readonly values: readonly { readonly path: string; readonly value: string }[];
  readonly plan: Plan;
}

export interface SweepRecord {
  readonly name: string;
  readonly file: string;
  readonly points: readonly { name: string; variant: string; values: PointToRun["values"]; plan: string }[];
  /** The `roux sweep` process running the sweep; it stays after that process ends. */
  readonly pid: number;
}

/**
 * The plan's hash, without where its runs go (`run.out`): a sweep directory moved or named by
 * `--out` keeps its points' plans, and a point is run again only when what it computes changed.
 */
export function planHash(plan: Plan): string {
  const { out: _out, ...settings } = plan.settings;
  return `sha256:${createHash("sha256")
    .update(canonicalJson({ ...plan, settings }))
    .digest("hex")}`;
}

/** The point's plan, sending its run into the point's directory of the sweep. */
export function pointPlan(sweepDir: string, point: PointToRun): Plan {
  return { ...point.plan, settings: { ...point.plan.settings, out: pointDir(sweepDir, point.name) } };
}

export function pointDir(sweepDir: string, name: string): string {
  return path.join(sweepDir, name);
}

export function planFile(sweepDir: string, name: string): string {
  return path.join(sweepDir, PLANS_DIR, `${name}.json`);
}

export function logFile(sweepDir: string, name: string): string {
  return path.join(sweepDir, LOGS_DIR, `${name}.log`);
}

export function isSweepDirectory(dir: string): boolean {
  return existsSync(path.join(dir, SWEEP_FILE));
}

export async function writeSweepRecord(sweepDir: string, record: SweepRecord): Promise<void> {
  await fs.mkdir(sweepDir, { recursive: true });
  await writeFileAtomic(path.join(sweepDir, SWEEP_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

export async function readSweepRecord(sweepDir: string): Promise<SweepRecord> {
  const file = path.join(sweepDir, SWEEP_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, "utf8"));
  } catch (error) {
    throw new RunDirectoryError(`cannot read ${file}: ${error instanceof SyntaxError ? "it is not JSON" : describeFsError(error)}`);
  }
  const record = json as Partial<SweepRecord>;
  if (typeof record.name !== "string" || !Array.isArray(record.points) || record.points.some((p) => typeof p?.name !== "string")) {
    throw new RunDirectoryError(`${file} is not a sweep record (name, points)`);
  }
  return json as SweepRecord;
}

/** The run directories under a point's directory, oldest first (their names end in when they started). */
export async function pointRuns(sweepDir: string, name: string): Promise<string[]> {
  const base = pointDir(sweepDir, name);
  if (!existsSync(base)) return [];
  return (await fs.readdir(base))
    .sort()
    .map((run) => path.join(base, run))
    .filter((dir) => existsSync(path.join(dir, RUN_INFO_FILE)));
}

/** The run of each point of the sweep that has one, in the sweep's order: what `roux compare` and `roux runs` read. */
export async function sweepRuns(sweepDir: string): Promise<{ point: SweepRecord["points"][number]; dir: string }[]> {
  const record = await readSweepRecord(sweepDir);
  const runs: { point: SweepRecord["points"][number]; dir: string }[] = [];
  for (const point of record.points) {
    const dir = (await pointRuns(sweepDir, point.name)).at(-1);
    if (dir !== undefined) runs.push({ point, dir });
  }
  return runs;
}

/** Moves a run of a point aside to superseded/<point>/, never deleting it. */
export async function moveAside(sweepDir: string, name: string, run: string): Promise<string> {
  const aside = path.join(sweepDir, SUPERSEDED_DIR, name);
  await fs.mkdir(aside, { recursive: true });
  const target = path.join(aside, path.basename(run));
  await fs.rename(run, target);
  return target;
}

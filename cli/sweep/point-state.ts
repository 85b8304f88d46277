/**
 * What `roux sweep` does with a point that may have run before (docs/architecture.md "Sweeps"):
 * a run of the same plan that is done is kept; one whose process is still alive is followed, not
 * started again; one stopped, failed or killed is resumed (`roux resume`: from its newest
 * checkpoint, or from its first step when it has none). A run of another plan, or one that
 * cannot be read, is moved aside (superseded/), and so is every run of the point beyond the
 * one kept; a point left with no run starts one.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { EVENTS_FILE } from "../../runtime/record/layout.js";
import { readRun } from "../../runtime/record/read-run.js";
import { hasEnded, runState, writerLiveness } from "../../runtime/record/status.js";
import { moveAside, planHash, pointRuns, type PointToRun } from "./sweep-dir.js";

export type PointStart =
  | { readonly kind: "new" }
  | { readonly kind: "done"; readonly dir: string }
  | { readonly kind: "alive"; readonly dir: string; readonly pid: number }
  | { readonly kind: "resume"; readonly dir: string };

/** Which first, when a point somehow has several runs of its plan. */
const RANK = { done: 0, alive: 1, resume: 2 } as const;

/** What to do with the point, after moving aside the runs it will not use (reported through `moved`). */
export async function pointStart(sweepDir: string, point: PointToRun, moved: (run: string, why: string) => void): Promise<PointStart> {
  const wanted = planHash(point.plan);
  const candidates: Exclude<PointStart, { kind: "new" }>[] = [];
  const aside: { dir: string; why: string }[] = [];
  for (const dir of await pointRuns(sweepDir, point.name)) {
    if (!existsSync(path.join(dir, EVENTS_FILE))) {
      aside.push({ dir, why: "its run never started (killed while it loaded)" });
      continue;
    }
    const run = await readRun(dir, sweepDir).catch(() => undefined);
    if (run === undefined) {
      aside.push({ dir, why: "it cannot be read" });
      continue;
    }
    if (planHash(run.plan) !== wanted) {
      aside.push({ dir, why: "its plan is not the point's plan now" });
      continue;
    }
    const state = runState(run.events);
    if (state.status === "done") candidates.push({ kind: "done", dir });
    else if (!hasEnded(state.status) && state.writer !== undefined && writerLiveness(state) === "alive")
      candidates.push({ kind: "alive", dir, pid: state.writer });
    else candidates.push({ kind: "resume", dir });
  }
  candidates.sort((a, b) => RANK[a.kind] - RANK[b.kind]);
  const [kept, ...others] = candidates;
  for (const other of others) aside.push({ dir: other.dir, why: `the point has another run (${kept?.dir})` });
  for (const { dir, why } of aside) moved(await moveAside(sweepDir, point.name, dir), why);
  return kept ?? { kind: "new" };
}

/**
 * A sweep directory read as runs, for `roux compare SWEEP_DIR` and `roux runs SWEEP_DIR`: each
 * point's run, named by the point, its recipe being the point's variant. So `--group` puts the
 * seeds (and other grid values) of one variant together, and the paired differences set variant
 * against variant seed by seed, even when two variants are one recipe with an override.
 */
import { readRun, type RunLog } from "../../runtime/record/read-run.js";
import { sweepRuns } from "./sweep-dir.js";

export async function sweepRunLogs(dir: string, cwd: string): Promise<RunLog[]> {
  const logs: RunLog[] = [];
  for (const { point, dir: run } of await sweepRuns(dir)) {
    logs.push({ ...(await readRun(run, cwd)), name: point.name, recipe: point.variant });
  }
  return logs;
}

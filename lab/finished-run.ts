/**
 * A lab run already done is not run again: `npm run lab` started a second time (after a crash,
 * a reboot, or a change to one recipe) keeps each run whose plan is the one it would run now and
 * which finished, and moves every other earlier run of that name (unfinished, or of another plan)
 * aside to OUT/superseded/, so that the tables read one run per name and nothing is deleted.
 */
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { Plan } from "../plan/plan.js";
import { readRun } from "../runtime/record/read-run.js";

export const SUPERSEDED = "superseded";

/** The finished run of `plan` under `base` (OUT/<name>), or undefined after moving the others aside. */
export async function keepFinished(out: string, base: string, plan: Plan): Promise<string | undefined> {
  if (!existsSync(base)) return undefined;
  let kept: string | undefined;
  for (const run of (await fs.readdir(base)).sort()) {
    const dir = path.join(base, run);
    const log = await readRun(dir, out).catch(() => undefined);
    const done = log?.events.some((e) => e.event === "run_end" && e.status === "done") ?? false;
    if (kept === undefined && done && isDeepStrictEqual(log?.plan, plan)) {
      kept = dir;
      continue;
    }
    const aside = path.join(out, SUPERSEDED, path.basename(base));
    await fs.mkdir(aside, { recursive: true });
    await fs.rename(dir, path.join(aside, run));
  }
  return kept;
}

/**
 * What `roux sweep` prints before it runs anything, after its runs: their estimated time on
 * this machine class (compiler/plan/cost.ts, as `roux cost` estimates a run), both with every
 * stage trained and with each stage that points share (the same stage key) trained once, which
 * is what the stage cache makes of the sweep. Unknown when a stage's length is (epochs of a
 * file's data).
 */
import { estimateCost } from "../../compiler/plan/cost.js";
import type { Plan } from "../../plan/plan.js";
import { clock } from "../../tui/clock.js";

export function sweepEstimate(points: readonly { plan: Plan; keys: readonly string[] }[]): string {
  let all = 0;
  let once = 0;
  const seen = new Set<string>();
  for (const { plan, keys } of points) {
    for (const [i, stage] of estimateCost(plan).entries()) {
      if (stage.seconds === null) return "time unknown (a stage counted in epochs of a file)";
      all += stage.seconds;
      const key = keys[i];
      if (key === undefined || !seen.has(key)) once += stage.seconds;
      if (key !== undefined) seen.add(key);
    }
  }
  return `estimated ${clock(all)} of training, ${clock(once)} with the stages the runs share trained once`;
}

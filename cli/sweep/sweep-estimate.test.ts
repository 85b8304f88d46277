import path from "node:path";
import { describe, expect, it } from "vitest";
import { estimateCost } from "../../compiler/plan/cost.js";
import type { Plan } from "../../plan/plan.js";
import { REPO_ROOT } from "../../test/recipes.js";
import { runCli } from "../../test/run-cli.js";
import { clock } from "../../tui/clock.js";
import { sweepEstimate } from "./sweep-estimate.js";

const RECIPE = path.join(REPO_ROOT, "test", "e2e", "recipes", "warmup-then-more.recipe");

describe("a sweep's estimate", () => {
  it("counts a stage the points share once", async () => {
    const plan = JSON.parse((await runCli(["plan", "--set", "warmup.steps=3000 steps", RECIPE])).stdout) as Plan;
    const [warmup, more] = estimateCost(plan).map((s) => s.seconds!);
    // The warm-up is long enough to show in m:ss: sharing it changes the second figure.
    expect(clock(2 * (warmup! + more!))).not.toBe(clock(warmup! + 2 * more!));
    const points = [
      { plan, keys: ["w", "a"] },
      { plan, keys: ["w", "b"] },
    ];
    expect(sweepEstimate(points)).toBe(
      `estimated ${clock(2 * (warmup! + more!))} of training, ${clock(warmup! + 2 * more!)} with the stages the runs share trained once`,
    );
  });
});

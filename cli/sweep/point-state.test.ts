import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Plan } from "../../plan/plan.js";
import { readPlanFile } from "../../runtime/record/plan-file.js";
import { copyRecordedRun, RECORDED_END, RECORDED_RUN } from "../../tui/testing.js";
import { pointStart } from "./point-state.js";
import type { PointToRun } from "./sweep-dir.js";

let sweepDir: string;
let plan: Plan;
beforeEach(async () => {
  sweepDir = await fs.mkdtemp(path.join(os.tmpdir(), "roux-point-"));
  plan = await readPlanFile(path.join(RECORDED_RUN, "plan.json"));
});
afterEach(async () => {
  await fs.rm(sweepDir, { recursive: true, force: true });
});

const point = (p: Plan): PointToRun => ({ name: "chord-seed=1", variant: "chord", values: [], plan: p });
/** The recorded run (started, never ended, naming no process) as a run of the point, with `events` after its own. */
const recorded = (name: string, events: readonly object[] = []) => copyRecordedRun(path.join(sweepDir, "chord-seed=1"), name, events);
const resumed = { event: "resume", time: RECORDED_END + 1, stages: [], pid: process.pid };
const ended = { event: "run_end", time: RECORDED_END + 2, status: "done" };

async function start(p: Plan) {
  const moved: string[] = [];
  const what = await pointStart(sweepDir, point(p), (run, why) => moved.push(`${path.relative(sweepDir, run)}: ${why}`));
  return { what, moved };
}

describe("what a sweep run again does with a point", () => {
  it("starts a point that has no run", async () => {
    expect(await start(plan)).toEqual({ what: { kind: "new" }, moved: [] });
  });

  it("resumes a run of its plan that ended without a run_end, follows one whose process is alive, keeps one done", async () => {
    const dir = await recorded("run-1");
    expect((await start(plan)).what).toEqual({ kind: "resume", dir });
    await fs.appendFile(path.join(dir, "events.jsonl"), `${JSON.stringify(resumed)}\n`);
    expect((await start(plan)).what).toEqual({ kind: "alive", dir, pid: process.pid });
    await fs.appendFile(path.join(dir, "events.jsonl"), `${JSON.stringify(ended)}\n`);
    expect((await start(plan)).what).toEqual({ kind: "done", dir });
  });

  it("moves aside a run of another plan, whatever its status, and a second run of the plan beside the one it keeps", async () => {
    await recorded("run-1", [ended]);
    const changed = await start({ ...plan, settings: { ...plan.settings, seed: plan.settings.seed + 1 } });
    expect(changed).toEqual({ what: { kind: "new" }, moved: ["superseded/chord-seed=1/run-1: its plan is not the point's plan now"] });
    await recorded("run-2");
    const done = await recorded("run-3", [ended]);
    const kept = await start(plan);
    expect(kept.what).toEqual({ kind: "done", dir: done });
    expect(kept.moved).toEqual([`superseded/chord-seed=1/run-2: the point has another run (${done})`]);
  });

  it("leaves where the sweep sends its runs out of the plan's identity", async () => {
    const dir = await recorded("run-1", [ended]);
    expect((await start({ ...plan, settings: { ...plan.settings, out: "elsewhere" } })).what).toEqual({ kind: "done", dir });
  });
});

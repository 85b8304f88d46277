import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deadPid } from "../../runtime/record/testing.js";
import { runCli } from "../../test/run-cli.js";
import { copyRecordedRun, RECORDED_END } from "../../tui/testing.js";

let parent: string;
beforeEach(async () => {
  parent = await fs.mkdtemp(path.join(os.tmpdir(), "roux-watch-"));
});
afterEach(async () => {
  await fs.rm(parent, { recursive: true, force: true });
});

const end = (status: string) => ({ event: "run_end", time: RECORDED_END, status });

describe("roux watch, not on a terminal", () => {
  it("prints a finished run's lines as roux run does, and exits with its outcome", async () => {
    const dir = await copyRecordedRun(parent, "done", [end("done")]);
    const r = await runCli(["watch", dir]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^run arith_chord sha256:9c77975e669e -> /);
    expect(r.stdout).toMatch(/^eval lab\.warmup@1200: correct 0\.695, steps 0\.737 \(lab\.test, 200 examples\)$/m);
    expect(r.stdout).toMatch(/^\[lab\.warmup {4}1\/1200 {3}0%\] loss 3\.365 {2}lr 2\.0e-3 {2}\| train 806 tok\/s \| eta 0:00$/m);
    expect(r.stdout).toMatch(/^\[rl {11}1\/150 {3}0%\] loss 4\.9e-3 {2}reward 0\.479 .* \| rollout 9\.2k tok\/s, train 1\.7k tok\/s \| eta 0:00$/m);
    // In the order written: the warm-up's last eval after its last step, the RL stage after both.
    expect(r.stdout.indexOf("[lab.warmup 1200/1200")).toBeLessThan(r.stdout.indexOf("eval lab.warmup@1200"));
    expect(r.stdout.indexOf("eval lab.warmup@1200")).toBeLessThan(r.stdout.indexOf("[rl           1/150"));
    expect(lines.at(-1)).toBe("run done");
  });

  it("fails with the run: its error is the last word", async () => {
    const dir = await copyRecordedRun(parent, "failed", [
      { event: "error", time: RECORDED_END, stage: "rl", step: 13, message: "the loss is NaN" },
      end("failed"),
    ]);
    const r = await runCli(["watch", dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/error in stage rl, step 13: the loss is NaN\nrun failed\n$/);
  });

  it("ends when the run's process is gone, saying so", async () => {
    const pid = await deadPid();
    const dir = await copyRecordedRun(parent, "killed", [
      { event: "resume", time: RECORDED_END, from: { stage: 1, stageName: "rl", step: 10 }, checkpoint: "rl-000010.ckpt", droppedMetrics: 2, stages: [], pid },
    ]);
    const r = await runCli(["watch", dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: the run's process ${pid} is gone without a run_end: it was killed or crashed\n`);
  });

  it("skips lines that are not records, and a torn last line, with a warning", async () => {
    const dir = await copyRecordedRun(parent, "noisy", [end("done")]);
    await fs.appendFile(path.join(dir, "metrics.jsonl"), 'oops\n{"stage":"rl","step":13,"ti');
    const r = await runCli(["watch", dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("warning: metrics.jsonl: skipped line 44, not a JSON object\n");
    expect(r.stdout).not.toMatch(/13\/150/);
  });

  it("refuses what is not a run directory in one line", async () => {
    const missing = await runCli(["watch", path.join(parent, "nope")]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*nope is not a run directory: it does not exist\n$/);
    const empty = await runCli(["watch", parent]);
    expect(empty.stderr).toMatch(/is not a run directory: it has no run\.json\n$/);
    expect((await runCli(["watch"])).status).toBe(2);
  });
});

import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deadPid } from "../../runtime/record/testing.js";
import { runCli } from "../../test/run-cli.js";
import { copyRecordedRun, RECORDED_END } from "../../tui/testing.js";

let parent: string;
beforeEach(async () => {
  parent = await fs.mkdtemp(path.join(os.tmpdir(), "roux-runs-"));
});
afterEach(async () => {
  await fs.rm(parent, { recursive: true, force: true });
});

const resume = (pid: number) => ({
  event: "resume",
  time: RECORDED_END,
  from: { stage: 1, stageName: "rl", step: 12 },
  checkpoint: "rl-000012.ckpt",
  droppedMetrics: 0,
  stages: [],
  pid,
});

describe("roux runs", () => {
  it("lists each run with its status, recipe, best eval and time in stages", async () => {
    await copyRecordedRun(parent, "b-done", [
      { event: "stage_end", time: RECORDED_END, stage: "rl", steps: 150, seconds: 10 },
      { event: "run_end", time: RECORDED_END, status: "done" },
    ]);
    await copyRecordedRun(parent, "a-failed", [
      { event: "error", time: RECORDED_END, message: "boom" },
      { event: "run_end", time: RECORDED_END, status: "failed" },
    ]);
    await copyRecordedRun(parent, "c-running", [resume(process.pid)]);
    await copyRecordedRun(parent, "d-killed", [resume(await deadPid())]);
    await copyRecordedRun(parent, "e-old");
    await fs.mkdir(path.join(parent, "not-a-run"));
    const r = await runCli(["runs", parent]);
    expect(r.status, r.stderr).toBe(0);
    expect(
      r.stdout
        .trimEnd()
        .split("\n")
        .map((l) => l.split(/ {2,}/)),
    ).toEqual([
      ["run", "status", "recipe", "best acc", "wall"],
      ["a-failed", "failed", "arith_chord", "0.69", "4:05"],
      ["b-done", "done", "arith_chord", "0.69", "4:01"],
      ["c-running", "running", "arith_chord", "0.69", "4:05"],
      ["d-killed", "killed", "arith_chord", "0.69", "4:05"],
      ["e-old", "unfinished", "arith_chord", "0.69", "4:05"],
    ]);
  });

  it("lists a directory it cannot read as unreadable, with the reason, and goes on", async () => {
    await copyRecordedRun(parent, "good");
    const bad = await copyRecordedRun(parent, "bad");
    await fs.writeFile(path.join(bad, "plan.json"), "{");
    const r = await runCli(["runs", parent]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^good +unfinished/m);
    expect(r.stdout).toMatch(/^bad +unreadable/m);
    expect(r.stderr).toMatch(/^warning: .*bad[/\\]plan\.json is not JSON/);
  });

  it("lists a sweep under the folder as one row summing its points, and says how to see them", async () => {
    await copyRecordedRun(parent, "solo", [{ event: "run_end", time: RECORDED_END, status: "done" }]);
    const sweep = path.join(parent, "lab");
    const point = (name: string) => ({ name, variant: "grpo", values: [], plan: "sha256:0" });
    await fs.mkdir(sweep);
    await fs.writeFile(
      path.join(sweep, "sweep.json"),
      JSON.stringify({ name: "lab", file: "lab.sweep", points: [point("a"), point("b"), point("c")], pid: 1 }),
    );
    await copyRecordedRun(path.join(sweep, "a"), "run", [
      { event: "stage_end", time: RECORDED_END, stage: "rl", steps: 150, seconds: 10 },
      { event: "run_end", time: RECORDED_END, status: "done" },
    ]);
    await copyRecordedRun(path.join(sweep, "b"), "run", [{ event: "run_end", time: RECORDED_END, status: "done" }]);
    const r = await runCli(["runs", parent]);
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => l.split(/ {2,}/));
    // Both points' seconds in stages added up (shown alone as 4:01 and 4:05, each rounded).
    expect(rows).toContainEqual(["lab/", "unfinished", "sweep: 2/3 done", "0.69", "8:07"]);
    expect(rows).toContainEqual(["solo", "done", "arith_chord", "0.69", "4:05"]);
    expect(r.stderr).toBe(`a sweep's points: roux runs ${path.join(parent, "lab/")}\n`);
    await copyRecordedRun(path.join(sweep, "c"), "run", [{ event: "run_end", time: RECORDED_END, status: "done" }]);
    expect((await runCli(["runs", parent])).stdout).toMatch(/^lab\/ +done +sweep: 3\/3 done/m);
  });

  it("says so for a folder with no runs, and refuses one that does not exist", async () => {
    expect(await runCli(["runs", parent])).toMatchObject({ status: 0, stdout: "", stderr: `no runs in ${parent}\n` });
    const missing = await runCli(["runs", path.join(parent, "nope")]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*nope does not exist\n$/);
  });
});

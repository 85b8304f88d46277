import { describe, expect, it } from "vitest";
import { runCli } from "../../test/run-cli.js";

const FLAGSHIP = "test/fixtures/showcase.recipe";
// The last two columns depend on the machine: memory in MiB and the estimated time here.
const MIB = expect.stringMatching(/^\d+$/);
const CLOCK = expect.stringMatching(/^\d+:\d\d$/);

describe("roux cost", () => {
  it("prints one row per stage and a total, in the documented columns", async () => {
    const result = await runCli(["cost", FLAGSHIP]);
    expect(result.status).toBe(0);
    const [header, warmup, rl, total] = result.stdout.split("\n");
    expect(header?.split(/ {2,}/)).toEqual(["stage", "params", "tokens/step", "rollout GFLOP", "train GFLOP", "reward GFLOP", "mem (MiB)", "est. here"]);
    expect(warmup?.split(/ {2,}/)).toEqual(["warmup", "106k", "32x96", "–", "2.3", "–", MIB, CLOCK]);
    expect(rl?.split(/ {2,}/)).toEqual(["rl", "106k", "16x8x64", "2.8", "15.3", "0 (rules)", MIB, CLOCK]);
    expect(total).toMatch(/^total +\d+:\d\d$/);
    expect(result.stdout).toContain("220 GFLOP/s rollouts (onnxruntime-node)");
  });

  it("gives the same figures as JSON", async () => {
    const result = await runCli(["cost", "--format", "json", FLAGSHIP]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.stages.map((s: { stage: string; steps: number }) => [s.stage, s.steps])).toEqual([
      ["warmup", 64],
      ["rl", 200],
    ]);
    expect(report.seconds).toBeCloseTo(report.stages[0].seconds + report.stages[1].seconds);
    expect(report.throughput).toEqual({ rollout: 220e9, train: 31e9 });
  });

  it("refuses a recipe with errors", async () => {
    const result = await runCli(["cost", "--set", "rl.group=1", FLAGSHIP]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("error[E3106]");
  });
});

/**
 * Sweeps run end to end (cli/sweep/): the points of test/e2e/recipes/warmup-then-more.recipe,
 * 3 seeds x 2 variants of its second stage, run side by side into one sweep directory by the
 * built `roux` as child processes. Each point's run has the metrics the same plan gives when
 * run alone; a sweep run again keeps its finished points; kill -9 of the sweep's whole process
 * group, then the sweep again, finishes every point with the metrics it would have had.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { canonicalJson } from "../../plan/canonical-json.js";
import type { Plan } from "../../plan/plan.js";
import { deterministicFields } from "../../runtime/record/events.js";
import { readJsonl } from "../../runtime/record/jsonl-log.js";
import { runSweep } from "../../cli/sweep/run-sweep.js";
import { pointRuns, readSweepRecord, type PointToRun } from "../../cli/sweep/sweep-dir.js";
import { REPO_ROOT } from "../recipes.js";
import { runCli } from "../run-cli.js";

const RECIPE = path.join(REPO_ROOT, "test", "e2e", "recipes", "warmup-then-more.recipe");
const ROUX = path.join(REPO_ROOT, "bin", "roux.js");
const SEEDS = [5, 6, 7];
const VARIANTS = { base: [], slow: ["more.optimizer.lr=3e-3"] } as const;

let out: string;
beforeAll(async () => {
  out = await fs.mkdtemp(path.join(os.tmpdir(), "roux-sweep-"));
});
afterAll(async () => {
  await fs.rm(out, { recursive: true, force: true });
});

async function points(extra: readonly string[] = []): Promise<PointToRun[]> {
  const all: PointToRun[] = [];
  for (const [variant, sets] of Object.entries(VARIANTS)) {
    for (const seed of SEEDS) {
      const args = [...sets, ...extra, `run.seed=${seed}`].flatMap((s) => ["--set", s]);
      const planned = await runCli(["plan", ...args, RECIPE]);
      expect(planned.stderr).toBe("");
      all.push({ name: `${variant}-seed=${seed}`, variant, values: [{ path: "run.seed", value: String(seed) }], plan: JSON.parse(planned.stdout) as Plan });
    }
  }
  return all;
}

/** Stand-in stage keys: a stage's plan and those before it, with the policy and seed. */
async function stageKeys(plan: Plan): Promise<string[]> {
  return plan.stages.map((_, i) =>
    createHash("sha256")
      .update(canonicalJson({ policy: plan.policy, seed: plan.settings.seed, stages: plan.stages.slice(0, i + 1) }))
      .digest("hex"),
  );
}

async function metricsOf(dir: string): Promise<unknown[]> {
  return (await readJsonl(path.join(dir, "metrics.jsonl"))).records.map(deterministicFields);
}

async function onlyRun(base: string): Promise<string> {
  const runs = await fs.readdir(base);
  expect(runs).toHaveLength(1);
  return path.join(base, runs[0]!);
}

/** The point's run, made alone with `roux run PLAN.json` (the plan's out moved to `base`). */
async function alone(point: PointToRun, base: string): Promise<string> {
  const file = path.join(out, `${path.basename(base)}.json`);
  await fs.writeFile(file, JSON.stringify({ ...point.plan, settings: { ...point.plan.settings, out: base } }));
  const ran = await runCli(["run", "--no-tui", file]);
  expect(ran.status).toBe(0);
  return onlyRun(base);
}

describe("roux sweep", () => {
  it("runs every point with the metrics it has alone, and keeps finished points when run again", async () => {
    const dir = path.join(out, "sweep");
    const log: string[] = [];
    const sweep = await points();
    const options = { dir, name: "two", file: RECIPE, points: sweep, jobs: 2, stageKeys, roux: ROUX, env: process.env, log: (l: string) => log.push(l) };
    const outcome = await runSweep(options);
    expect(outcome.unfinished).toEqual([]);
    const record = await readSweepRecord(dir);
    expect(record.points.map((p) => p.name)).toEqual(sweep.map((p) => p.name));
    for (const point of sweep) {
      const [run] = await pointRuns(dir, point.name);
      expect(await metricsOf(run!)).toEqual(await metricsOf(await alone(point, path.join(out, "alone", point.name))));
    }
    log.length = 0;
    const again = await runSweep(options);
    expect(again.unfinished).toEqual([]);
    expect(log).toEqual(sweep.map((p) => `${p.name}: kept, done earlier with the same plan`));

    // Read back as a sweep: a row per point, the variants as groups, followed to its end.
    const runs = await runCli(["runs", dir]);
    expect(
      runs.stdout
        .split("\n")
        .slice(1, -1)
        .map((l) => l.split(/ +/).slice(0, 3)),
    ).toEqual(sweep.map((p) => [p.name, "done", p.variant]));
    const compared = await runCli(["compare", "--group", "--format", "json", "--out", path.join(out, "plots"), dir]);
    expect(compared.status).toBe(0);
    const groups = (JSON.parse(compared.stdout) as { groups: { recipe: string; runs: string[] }[] }).groups;
    expect(groups.map((g) => [g.recipe, g.runs])).toEqual(Object.keys(VARIANTS).map((variant) => [variant, SEEDS.map((seed) => `${variant}-seed=${seed}`)]));
    const watched = await runCli(["watch", dir]);
    expect(watched.status).toBe(0);
    expect(watched.stdout).toContain("slow-seed=7  done  14/14  loss");

    // One variant's plan changed: its runs move aside and run again; the other's are kept.
    log.length = 0;
    const changed = (await points()).map((p) =>
      p.variant === "slow" ? { ...p, plan: { ...p.plan, stages: p.plan.stages.map((st) => ({ ...st, batch: 4 })) } } : p,
    );
    expect((await runSweep({ ...options, points: changed })).unfinished).toEqual([]);
    expect(log.filter((l) => l.includes("kept"))).toHaveLength(3);
    expect(log.filter((l) => l.includes("aside: its plan is not the point's plan now"))).toHaveLength(3);
    expect(await fs.readdir(path.join(dir, "superseded"))).toEqual(["slow-seed=5", "slow-seed=6", "slow-seed=7"]);
  }, 240_000);
});

/**
 * `roux sweep` end to end (cli/sweep/), as a user runs it: the built `roux` on
 * test/e2e/recipes/warmup-seeds.sweep, 3 seeds x 2 variants of the second stage of
 * warmup-then-more.recipe, two points at a time, each a child process, with a fresh ROUX_CACHE
 * per test (test/temporary-cache.ts).
 *
 * - Each seed's warm-up trains once, not twice: the second variant's run takes it from the stage
 *   cache; and every point's metrics are those of its plan run alone, without the cache.
 * - kill -9 of the sweep's whole process group mid-sweep, then `roux sweep` again: every point
 *   finishes with the metrics it would have had.
 * - Read back by `roux runs`, `roux compare --group` (a group per variant) and `roux watch`; run
 *   again, finished points are kept, and a variant whose plan changed runs again, its old runs
 *   moved aside.
 */
import { spawn } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deterministicFields } from "../../runtime/record/events.js";
import { readJsonl } from "../../runtime/record/jsonl-log.js";
import { planFile, pointRuns } from "../../cli/sweep/sweep-dir.js";
import { REPO_ROOT } from "../recipes.js";
import { runCli } from "../run-cli.js";

const RECIPES = path.join(REPO_ROOT, "test", "e2e", "recipes");
const SWEEP = path.join(RECIPES, "warmup-seeds.sweep");
const ROUX = path.join(REPO_ROOT, "bin", "roux.js");
const SEEDS = [5, 6, 7];
const VARIANTS = ["base", "slow"];
const POINTS = VARIANTS.flatMap((variant) => SEEDS.map((seed) => `${variant}-seed=${seed}`));

let out: string;
beforeAll(async () => {
  out = await fs.mkdtemp(path.join(os.tmpdir(), "roux-sweep-"));
});
afterAll(async () => {
  await fs.rm(out, { recursive: true, force: true });
});

/** `roux sweep` as its own process group (so the test can kill the group whole); settles with its status, its lines and its stderr. */
function sweep(dir: string, file = SWEEP, flags: string[] = []): { pid: number; exited: Promise<{ status: number | null; lines: string[]; stderr: string }> } {
  const child = spawn(process.execPath, [ROUX, "sweep", "--jobs", "2", "--no-tui", "--out", dir, ...flags, file], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  return {
    pid: child.pid!,
    exited: new Promise((resolve) => child.once("close", (status) => resolve({ status, lines: stdout.split("\n").filter((l) => l !== ""), stderr }))),
  };
}

/** A sweep that ended with every point done. */
async function finished(run: ReturnType<typeof sweep>): Promise<string[]> {
  const { status, lines, stderr } = await run.exited;
  expect(status, stderr).toBe(0);
  return lines;
}

/** The point's run directory in the sweep (its only one). */
async function runOf(dir: string, point: string): Promise<string> {
  const runs = await pointRuns(dir, point);
  expect(runs).toHaveLength(1);
  return runs[0]!;
}

async function metricsOf(run: string): Promise<unknown[]> {
  // The cached mark aside: a line copied from the cache is the line the run would have computed.
  return (await readJsonl(path.join(run, "metrics.jsonl"))).records.map(({ cached: _cached, ...line }) => deterministicFields(line));
}

async function eventsOf(run: string): Promise<Record<string, unknown>[]> {
  return existsSync(path.join(run, "events.jsonl")) ? (await readJsonl(path.join(run, "events.jsonl"))).records : [];
}

const alone = new Map<string, Promise<unknown[]>>();

/** The metrics of the point's plan run alone with `roux run --no-cache` (once per plan, shared by the tests). */
function aloneMetrics(dir: string, point: string): Promise<unknown[]> {
  const made = async () => {
    const plan = JSON.parse(await fs.readFile(planFile(dir, point), "utf8"));
    const base = path.join(out, "alone", point);
    const file = path.join(out, "alone", `${point}.json`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, JSON.stringify({ ...plan, settings: { ...plan.settings, out: base } }));
    const ran = await runCli(["run", "--no-tui", "--no-cache", file]);
    expect(ran.status).toBe(0);
    const [run] = await fs.readdir(base);
    return metricsOf(path.join(base, run!));
  };
  if (!alone.has(point)) alone.set(point, made());
  return alone.get(point)!;
}

describe("roux sweep", () => {
  it("trains each seed's warm-up once for its two variants, and gives every point the metrics of its run alone", async () => {
    const dir = path.join(out, "shared");
    await finished(sweep(dir));
    const cached: string[] = [];
    for (const point of POINTS) {
      const events = await eventsOf(await runOf(dir, point));
      if (events.some((e) => e.event === "stage_cached" && e.stage === "warmup")) cached.push(point);
      expect(events.at(-1)).toMatchObject({ event: "run_end", status: "done" });
    }
    // Three warm-ups trained (the first variant's), three taken from the cache: not six trained.
    expect(cached).toEqual(SEEDS.map((seed) => `slow-seed=${seed}`));
    for (const point of POINTS) expect(await metricsOf(await runOf(dir, point))).toEqual(await aloneMetrics(dir, point));

    // Read back as a sweep: a row per point, a group per variant, followed to its end.
    const runs = await runCli(["runs", dir]);
    expect(
      runs.stdout
        .split("\n")
        .slice(1, -1)
        .map((l) => l.split(/ +/).slice(0, 3)),
    ).toEqual(POINTS.map((p) => [p, "done", p.split("-")[0]]));
    const compared = await runCli(["compare", "--group", "--format", "json", "--out", path.join(out, "plots"), dir]);
    expect(compared.status).toBe(0);
    const groups = (JSON.parse(compared.stdout) as { groups: { recipe: string; runs: string[] }[] }).groups;
    expect(groups.map((g) => [g.recipe, g.runs])).toEqual(VARIANTS.map((v) => [v, POINTS.filter((p) => p.startsWith(`${v}-`))]));
    const watched = await runCli(["watch", dir]);
    expect(watched.status).toBe(0);
    expect(watched.stdout).toContain("slow-seed=7  done  14/14  loss");

    // Again: every point kept. Then with the slow variant's plan changed: its runs move aside and run again.
    expect((await finished(sweep(dir))).filter((l) => l.endsWith(": kept, done earlier with the same plan"))).toHaveLength(6);
    const changed = path.join(out, "changed.sweep");
    const recipe = path.join(RECIPES, "warmup-then-more.recipe");
    await fs.writeFile(changed, (await fs.readFile(SWEEP, "utf8")).replaceAll("./warmup-then-more.recipe", recipe).replace("3e-3", "5e-3"));
    const again = await finished(sweep(dir, changed));
    expect(again.filter((l) => l.includes(": kept"))).toEqual(SEEDS.map((seed) => `base-seed=${seed}: kept, done earlier with the same plan`));
    expect(again.filter((l) => l.includes("aside: its plan is not the point's plan now"))).toHaveLength(3);
    expect(await fs.readdir(path.join(dir, "superseded"))).toEqual(SEEDS.map((seed) => `slow-seed=${seed}`));
  }, 300_000);

  it("finishes every point with the metrics it would have had after kill -9 of the sweep's process group", async () => {
    const dir = path.join(out, "killed");
    const first = sweep(dir);
    // Killed once one point is done and another has trained a step of its own with at least
    // half its 14 steps to go, so that it cannot end between this look and the kill.
    const midway = async () => {
      let done = 0;
      let going = 0;
      for (const point of POINTS) {
        const run = (await pointRuns(dir, point)).at(-1);
        if (run === undefined) continue;
        const events = await eventsOf(run);
        if (events.some((e) => e.event === "run_end")) done++;
        else if (existsSync(path.join(run, "metrics.jsonl"))) {
          const records = (await readJsonl(path.join(run, "metrics.jsonl"))).records;
          if (records.some((r) => r.cached === undefined) && records.length <= 7) going++;
        }
      }
      return done > 0 && going > 0;
    };
    let ended = false;
    void first.exited.then(() => (ended = true));
    while (!(await midway())) {
      expect(ended).toBe(false);
      await sleep(50);
    }
    process.kill(-first.pid, "SIGKILL");
    await first.exited;
    // What the kill left: a point whose run has begun its record but not ended it is resumed, one done is kept.
    const left = await Promise.all(
      POINTS.map(async (point) => {
        const run = (await pointRuns(dir, point)).at(-1);
        const events = run === undefined || !existsSync(path.join(run, "events.jsonl")) ? undefined : await eventsOf(run);
        return { point, state: events === undefined ? "none" : events.some((e) => e.event === "run_end") ? "done" : "unfinished" };
      }),
    );
    const again = await finished(sweep(dir));
    const unfinished = left.filter((l) => l.state === "unfinished").map((l) => `${l.point}: resumed`);
    expect(unfinished.length).toBeGreaterThan(0);
    expect(again.filter((l) => l.endsWith(": resumed")).sort(), again.join("\n")).toEqual(unfinished.sort());
    const kept = left.filter((l) => l.state === "done").map((l) => `${l.point}: kept, done earlier with the same plan`);
    expect(again.filter((l) => l.includes(": kept")).sort(), again.join("\n")).toEqual(kept.sort());
    for (const point of POINTS) {
      const run = await runOf(dir, point);
      expect((await eventsOf(run)).at(-1)).toMatchObject({ event: "run_end", status: "done" });
      expect(await metricsOf(run)).toEqual(await aloneMetrics(dir, point));
    }
  }, 300_000);
});

describe("roux sweep --set", () => {
  it("runs every point with the options applied before its own settings, and records them", async () => {
    const dir = path.join(out, "set");
    await finished(sweep(dir, SWEEP, ["--set", "warmup.steps=1 steps", "--set", "more.steps=1 steps"]));
    const record = JSON.parse(await fs.readFile(path.join(dir, "sweep.json"), "utf8"));
    expect(record.points.map((p: { name: string }) => p.name)).toEqual(POINTS);
    for (const point of record.points) {
      expect(point.values.slice(0, 2), point.name).toEqual([
        { path: "warmup.steps", value: "1 steps" },
        { path: "more.steps", value: "1 steps" },
      ]);
      const [run] = await pointRuns(dir, point.name);
      const steps = (await readJsonl(path.join(run!, "metrics.jsonl"))).records.filter((l) => typeof l.stage === "string").map((l) => `${l.stage}@${l.step}`);
      // One step of each stage, where the recipe says 4 and 10.
      expect(steps, point.name).toEqual(["warmup@1", "more@1"]);
    }
  });
});

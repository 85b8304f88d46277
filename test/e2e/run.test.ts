/**
 * `roux run`, `roux resume` and `roux eval` end to end on recipes small enough for CI
 * (test/e2e/recipes/): SFT whose loss falls, RL whose reward rises, a kill -9 and resume that
 * reproduces the uninterrupted run, the NaN guard, and corrupt, missing or foreign checkpoints.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJsonl } from "../../runtime/record/jsonl-log.js";
import { readCheckpoint, writeCheckpoint } from "../../runtime/run/checkpoint.js";
import { deterministicFields } from "../../runtime/record/events.js";
import { REPO_ROOT } from "../recipes.js";
import { runCli } from "../run-cli.js";

const RECIPES = path.join(REPO_ROOT, "test", "e2e", "recipes");
let out: string;

beforeAll(async () => {
  out = await fs.mkdtemp(path.join(os.tmpdir(), "roux-run-"));
});
afterAll(async () => {
  await fs.rm(out, { recursive: true, force: true });
});

/** Runs a recipe into a fresh folder under `out`; returns the run directory. */
async function run(
  recipe: string,
  name: string,
  sets: string[] = [],
  flags: string[] = [],
): Promise<{ dir: string; status: number; stdout: string; stderr: string }> {
  const base = path.join(out, name);
  const args = ["run", ...flags, ...[`run.out="${base}"`, ...sets].flatMap((s) => ["--set", s]), path.join(RECIPES, recipe)];
  const result = await runCli(args);
  return { ...result, dir: await runIn(base) };
}

/** The run directory `roux run` made in `base` (a path that does not exist when it made none). */
async function runIn(base: string): Promise<string> {
  const dirs = existsSync(base) ? await fs.readdir(base) : [];
  return path.join(base, dirs[0] ?? "missing");
}

async function metrics(dir: string) {
  return (await readJsonl(path.join(dir, "metrics.jsonl"))).records;
}

async function events(dir: string) {
  return (await readJsonl(path.join(dir, "events.jsonl"))).records;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("roux run", () => {
  it("trains SFT until the loss falls, with checkpoints, events and progress lines", async () => {
    const r = await run("sft.recipe", "sft");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = await metrics(r.dir);
    expect(lines.map((l) => l.step)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const loss = lines.map((l) => l.loss as number);
    expect(mean(loss.slice(-5))).toBeLessThan(0.3 * mean(loss.slice(0, 5)));
    const evs = await events(r.dir);
    expect(evs.filter((e) => e.event === "checkpoint").map((e) => e.step)).toEqual([20, 40, 60]);
    expect(evs.at(-1)).toMatchObject({ event: "run_end", status: "done" });
    for (const file of ["plan.json", "run.json", "recipe/sft.recipe", "ckpt/LATEST", "ckpt/learn-000060.ckpt", "ckpt/ref-learn.ckpt"]) {
      expect(existsSync(path.join(r.dir, file)), file).toBe(true);
    }
    expect(r.stdout).toMatch(/\[learn +1\/60 +1%\] loss \d/);
    expect(r.stdout).toMatch(/checkpoint learn@60 -> ckpt\/learn-000060\.ckpt/);
    expect(r.stdout).toMatch(/run done/);
  });

  it("trains RL until the toy reward rises, and evaluates the result", async () => {
    const r = await run("rl.recipe", "rl");
    expect(r.status, r.stderr).toBe(0);
    const lines = await metrics(r.dir);
    expect(lines).toHaveLength(30);
    const reward = lines.map((l) => l.reward as number);
    expect(mean(reward.slice(-5))).toBeGreaterThan(mean(reward.slice(0, 5)) + 0.3);
    for (const key of [
      "reward_starts_b_mean",
      "accuracy",
      "advantage_std",
      "policy_loss",
      "entropy",
      "clip_fraction",
      "grad_norm",
      "lr",
      "rollout_tok_s",
      "train_tok_s",
    ]) {
      expect(typeof lines[0]?.[key], key).toBe("number");
    }
    const evaluated = await runCli(["eval", "--data", "prompts", "--format", "json", r.dir]);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    const result = JSON.parse(evaluated.stdout);
    expect(result).toMatchObject({ stage: "rl", step: 30, data: "prompts", examples: 8 });
    expect(result.values.starts_b).toBeGreaterThan(0.5);
  });

  it("resumes after kill -9 with the same metrics as a run that was never interrupted", async () => {
    const whole = await run("rl.recipe", "whole", ["rl.steps=40 steps"]);
    expect(whole.status, whole.stderr).toBe(0);

    const base = path.join(out, "killed");
    // Without the stage cache, which holds the whole run by now: this run must train to be killed.
    const child = spawn(
      process.execPath,
      [
        path.join(REPO_ROOT, "bin", "roux.js"),
        "run",
        "--no-cache",
        "--set",
        `run.out="${base}"`,
        "--set",
        "rl.steps=40 steps",
        path.join(RECIPES, "rl.recipe"),
      ],
      {
        stdio: "ignore",
      },
    );
    // Kill it once it is past its second checkpoint (step 10), well before the end: a quiet machine
    // runs several toy steps between two polls, so the end must be far off.
    const dir = await waitFor(async () => {
      if (!existsSync(base)) return undefined;
      const [name] = await fs.readdir(base);
      if (name === undefined) return undefined;
      const d = path.join(base, name);
      return existsSync(path.join(d, "metrics.jsonl")) && (await metrics(d)).length >= 11 ? d : undefined;
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const before = await metrics(dir);
    expect(before.length).toBeLessThan(40);
    // Resume takes up the newest checkpoint the run had written when it was killed (a fast
    // machine may be past step 15 by then), never the first one.
    const latest = (await fs.readFile(path.join(dir, "ckpt", "LATEST"), "utf8")).trim();
    const step = Number(/^rl-(\d{6})\.ckpt$/.exec(latest)?.[1]);
    expect(step).toBeGreaterThanOrEqual(10);
    expect(step).toBeLessThan(40);

    const resumed = await runCli(["resume", dir]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`resumed from ${latest}`);
    const a = (await metrics(whole.dir)).map(deterministicFields);
    const b = (await metrics(dir)).map(deterministicFields);
    expect(b).toEqual(a);
  });

  it("refills batches with dynamic sampling, and resumes to the same metrics, refills included", async () => {
    // Groups of 2: about 5 in 8 of them agree at the start, so most steps refill.
    const r = await run("rl.recipe", "dynamic", ["rl.steps=12 steps", "rl.group=2", "rl.dynamic_sampling={ max_refills = 2 }"]);
    expect(r.status, r.stderr).toBe(0);
    const lines = await metrics(r.dir);
    expect(lines).toHaveLength(12);
    for (const l of lines) {
      expect(l.refill_rounds as number).toBeGreaterThanOrEqual(0);
      expect(l.refill_rounds as number).toBeLessThanOrEqual(2);
      expect([0, 1]).toContain(l.refill_capped);
      if (l.refill_capped === 1) expect(l.refill_rounds).toBe(2);
      expect(l.zero_signal_frac as number).toBeGreaterThanOrEqual(0);
    }
    expect(lines.some((l) => (l.refill_rounds as number) > 0)).toBe(true);
    // Back to the step-5 checkpoint, as if killed after it: the refills draw from per-step
    // streams, so the resumed steps sample, refill and train as the first run did.
    await fs.writeFile(path.join(r.dir, "ckpt", "LATEST"), "rl-000005.ckpt\n");
    const resumed = await runCli(["resume", r.dir]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/resumed from rl-000005\.ckpt/);
    expect((await metrics(r.dir)).map(deterministicFields)).toEqual(lines.map(deterministicFields));
  });

  it("runs SFT then RL with CHORD, a KL to the warm-up and two PPO epochs, and resumes across the stage boundary", async () => {
    const r = await run("hybrid.recipe", "hybrid");
    expect(r.status, r.stderr).toBe(0);
    const lines = await metrics(r.dir);
    expect(lines.map((l) => `${l.stage}@${l.step}`)).toEqual([
      "warmup@1",
      "warmup@2",
      "warmup@3",
      "warmup@4",
      "warmup@5",
      "warmup@6",
      "rl@1",
      "rl@2",
      "rl@3",
      "rl@4",
    ]);
    const rl = lines.filter((l) => l.stage === "rl");
    const mu = rl.map((l) => l.chord_mu as number);
    expect(mu[0]).toBeCloseTo(0.9, 6);
    mu.reduce((previous, next) => {
      expect(next).toBeLessThan(previous);
      return next;
    });
    for (const l of rl) {
      expect(l.kl as number).toBeGreaterThanOrEqual(0);
      expect(typeof l.sft_loss).toBe("number");
    }
    // the first RL step starts from the warm-up policy, its KL reference: a KL of exactly 0 at
    // the first of two PPO epochs, above 0 once the first update moved the policy
    expect(rl[0]?.kl as number).toBeGreaterThan(0);
    const evs = await events(r.dir);
    expect(evs.filter((e) => e.event === "eval").map((e) => e.step)).toEqual([2, 4]);

    // Back to the warm-up's last checkpoint, as if killed there: resuming reloads the KL
    // reference from ckpt/ref-warmup.ckpt and gives the same RL steps.
    await fs.writeFile(path.join(r.dir, "ckpt", "LATEST"), "warmup-000006.ckpt\n");
    const resumed = await runCli(["resume", r.dir]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect((await metrics(r.dir)).map(deterministicFields)).toEqual(lines.map(deterministicFields));
  });

  it("stops a stage whose loss turns infinite, naming stage, step and node, and keeps the last good checkpoint", async () => {
    const r = await run("sft.recipe", "nan", ["learn.optimizer.lr=1e30", "run.checkpoint_every=1 steps", "learn.steps=10 steps"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/stage `learn`, step \d+: the (loss|gradient) is not finite \(node `(loss|step)`\)/);
    const evs = await events(r.dir);
    const error = evs.find((e) => e.event === "error")!;
    expect(error).toMatchObject({ stage: "learn" });
    expect(["loss", "step"]).toContain(error.node);
    const failedStep = error.step as number;
    const good = await readCheckpoint(path.join(r.dir, "ckpt", (await fs.readFile(path.join(r.dir, "ckpt", "LATEST"), "utf8")).trim()));
    expect(good.position.step).toBe(failedStep - 1);
    for (const values of good.weights.values()) for (const v of values) expect(Number.isFinite(v)).toBe(true);
  });

  it("runs a plan file written by roux plan as it is, and refuses one that is not a plan", async () => {
    const planFile = path.join(out, "sft.plan.json");
    const base = path.join(out, "from-plan");
    const planned = await runCli(["plan", "-o", planFile, "--set", `run.out="${base}"`, "--set", "learn.steps=3 steps", path.join(RECIPES, "sft.recipe")]);
    expect(planned.status, planned.stderr).toBe(0);
    const r = await runCli(["run", planFile]);
    expect(r.status, r.stderr).toBe(0);
    expect((await metrics(await runIn(base))).map((l) => l.step)).toEqual([1, 2, 3]);
    await fs.writeFile(planFile, JSON.stringify({ version: 1 }));
    const bad = await runCli(["run", planFile]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/is not a valid plan/);
  });

  it("keeps training when the reader of its output goes away (roux run | head -1)", async () => {
    const base = path.join(out, "pipe");
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, "bin", "roux.js"), "run", "--set", `run.out="${base}"`, "--set", "learn.steps=20 steps", path.join(RECIPES, "sft.recipe")],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    child.stdout.once("data", () => child.stdout.destroy());
    const status = await new Promise((resolve) => child.once("exit", resolve));
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect((await events(await runIn(base))).at(-1)).toMatchObject({ event: "run_end", status: "done" });
  });

  it("runs in the background with --detach, and roux watch follows it to its end", async () => {
    const base = path.join(out, "detached");
    const roux = path.join(REPO_ROOT, "bin", "roux.js");
    const started = spawnSync(
      process.execPath,
      [roux, "run", "--detach", "--set", `run.out="${base}"`, "--set", "learn.steps=20 steps", path.join(RECIPES, "sft.recipe")],
      { encoding: "utf8" },
    );
    expect(started.status, started.stderr).toBe(0);
    const dir = await runIn(base);
    expect(started.stdout).toMatch(/goes on in the background \(process \d+\); its output is in .*output\.log\nwatch it with: roux watch /);
    const watched = await runCli(["watch", dir]);
    expect(watched.status, watched.stderr).toBe(0);
    expect(watched.stderr).toBe("");
    expect(watched.stdout).toMatch(/^run tiny_sft .*\n/);
    expect(watched.stdout).toMatch(/\[learn 20\/20 100%\]/);
    expect(watched.stdout).toMatch(/run done\n$/);
    // the background process is `roux resume` on the new directory: its own plain lines are kept
    expect(await fs.readFile(path.join(dir, "output.log"), "utf8")).toMatch(/run done\n$/);
    const metricsLines = await metrics(dir);
    expect(metricsLines.map((l) => l.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("refuses a corrupt or missing checkpoint with a clear error", async () => {
    const r = await run("sft.recipe", "corrupt", ["learn.steps=4 steps", "run.checkpoint_every=2 steps"]);
    expect(r.status, r.stderr).toBe(0);
    const latest = path.join(r.dir, "ckpt", "learn-000004.ckpt");
    const bytes = await fs.readFile(latest);
    await fs.writeFile(latest, bytes.subarray(0, bytes.length - 100));
    const corrupt = await runCli(["resume", r.dir]);
    expect(corrupt.status).toBe(1);
    expect(corrupt.stderr).toMatch(/^error: checkpoint .*learn-000004\.ckpt is corrupt: .*truncated/);
    await fs.rm(latest);
    const missing = await runCli(["resume", r.dir]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/LATEST names checkpoint `learn-000004\.ckpt`, which is not in/);
    const notARun = await runCli(["resume", out]);
    expect(notARun.status).toBe(1);
    expect(notARun.stderr).toMatch(/is not a run directory/);
  });

  it("refuses a checkpoint of another plan or another run copied into ckpt/, naming both", async () => {
    // Two runs whose tensors have the same shapes: only the stamps tell their checkpoints apart.
    const short = ["learn.steps=4 steps", "run.checkpoint_every=2 steps"];
    const own = await run("sft.recipe", "stamp", short);
    const other = await run("sft.recipe", "stamp-other", [...short, "learn.optimizer.lr=3e-2", "run.seed=9"]);
    // The same recipe run again (run.out is part of the recipe, so the same folder): same plan, another
    // run, trained rather than taken from the stage cache, so that it has the same checkpoints.
    const again = await run("sft.recipe", "stamp", short, ["--no-cache"]);
    for (const r of [own, other, again]) expect(r.status, r.stderr).toBe(0);
    const twin = { dir: path.join(out, "stamp", (await fs.readdir(path.join(out, "stamp"))).find((d) => d !== path.basename(own.dir)) ?? "missing") };
    const info = async (dir: string) => JSON.parse(await fs.readFile(path.join(dir, "run.json"), "utf8")) as { hash: string; id: string };
    const ckpt = (dir: string) => path.join(dir, "ckpt", "learn-000002.ckpt");
    // As a run killed after its step-2 checkpoint: LATEST names it.
    await fs.writeFile(path.join(own.dir, "ckpt", "LATEST"), "learn-000002.ckpt\n");

    await fs.copyFile(ckpt(other.dir), ckpt(own.dir));
    const foreign = await runCli(["resume", own.dir]);
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toContain(`was trained under plan ${(await info(other.dir)).hash}, and this run's plan is ${(await info(own.dir)).hash}`);
    expect(foreign.stderr).not.toMatch(/^\s+at /m);

    await fs.copyFile(ckpt(twin.dir), ckpt(own.dir));
    const twinRun = await runCli(["resume", own.dir]);
    expect(twinRun.status).toBe(1);
    expect(twinRun.stderr).toContain(`was written by run ${(await info(twin.dir)).id}, and this run is ${(await info(own.dir)).id}`);

    // A checkpoint written before stamps resumes, with a warning saying it could not be checked.
    const { stamp: _, ...unstamped } = await readCheckpoint(ckpt(twin.dir));
    await writeCheckpoint(ckpt(own.dir), unstamped);
    const old = await runCli(["resume", own.dir]);
    expect(old.status, old.stderr).toBe(0);
    expect(old.stdout).toMatch(/learn-000002\.ckpt predates checkpoint stamps/);
  });

  it("resumes a run whose metrics were cut short or lost, naming the steps the record lacks", async () => {
    const r = await run("sft.recipe", "cut", ["learn.steps=20 steps", "run.checkpoint_every=5 steps"]);
    expect(r.status, r.stderr).toBe(0);
    // As a run killed after its step-15 checkpoint, whose metrics.jsonl was then cut to 3 lines
    // (and then lost): LATEST names that checkpoint.
    await fs.writeFile(path.join(r.dir, "ckpt", "LATEST"), "learn-000015.ckpt\n");
    const file = path.join(r.dir, "metrics.jsonl");
    await fs.writeFile(file, `${(await fs.readFile(file, "utf8")).split("\n").slice(0, 3).join("\n")}\n`);
    const cut = await runCli(["resume", r.dir]);
    expect(cut.status, cut.stderr).toBe(0);
    expect(cut.stdout).toContain("metrics.jsonl has no line for stage `learn` step 4-15, before the checkpoint");
    expect((await metrics(r.dir)).map((l) => l.step)).toEqual([1, 2, 3, 16, 17, 18, 19, 20]);

    await fs.rm(file);
    await fs.writeFile(path.join(r.dir, "ckpt", "LATEST"), "learn-000015.ckpt\n");
    const lost = await runCli(["resume", r.dir]);
    expect(lost.status, lost.stderr).toBe(0);
    expect(lost.stdout).toContain("metrics.jsonl is missing; it is started again empty");
    expect((await metrics(r.dir)).map((l) => l.step)).toEqual([16, 17, 18, 19, 20]);
  });

  it("gives the same metrics on the cpu and wasm backends", async () => {
    const sets = ["rl.steps=4 steps"];
    const cpu = await run("rl.recipe", "cpu", [...sets, "run.device=cpu"]);
    const wasm = await run("rl.recipe", "wasm", [...sets, "run.device=wasm"]);
    expect(cpu.status, cpu.stderr).toBe(0);
    expect(wasm.status, wasm.stderr).toBe(0);
    const a = (await metrics(cpu.dir)).map(deterministicFields);
    const b = (await metrics(wasm.dir)).map(deterministicFields);
    expect(b.length).toBe(a.length);
    a.forEach((line, i) => {
      for (const [key, value] of Object.entries(line)) {
        if (typeof value === "number") expect(b[i]?.[key], `${key} at step ${i + 1}`).toBeCloseTo(value, 4);
        else expect(b[i]?.[key]).toBe(value);
      }
    });
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, seconds = 120): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("timed out waiting for the run");
}

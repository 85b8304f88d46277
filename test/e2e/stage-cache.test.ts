/**
 * The stage cache end to end (runtime/stage-cache/README.md): recipes that share a warm-up share
 * its key; a run that starts from cached stages computes exactly what the run without the cache
 * does (metrics, eval answers, final weights), and resumes as any run; entries that are not whole
 * or not what their key says are not used, and say so; locks make a second run wait, and a dead
 * holder's lock is taken over.
 */
import { spawn } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../plan/plan.js";
import { deterministicFields } from "../../runtime/record/events.js";
import { readJsonl } from "../../runtime/record/jsonl-log.js";
import { deadPid, tempDir } from "../../runtime/record/testing.js";
import { readCheckpoint } from "../../runtime/run/checkpoint.js";
import { createRunDirectory, RunDirectory } from "../../runtime/run/run-dir.js";
import { resumeRun, startRun } from "../../runtime/run/runner.js";
import { DEFAULT_MAX_BYTES } from "../../runtime/stage-cache/gc.js";
import { lockFile } from "../../runtime/stage-cache/stage-lock.js";
import { stageKeys } from "../../runtime/stage-cache/stage-key.js";
import { REPO_ROOT } from "../recipes.js";
import { runCli } from "../run-cli.js";

const HYBRID = path.join(REPO_ROOT, "test", "e2e", "recipes", "hybrid.recipe");
/** The warm-up evaluates too, so that cached stages bring their eval answers. */
const WARMUP_EVAL = "warmup.eval={ data = pairs, every = 3 steps, rewards = [three] }";
/** A run of the same warm-up with another RL stage: it puts only the warm-up in the cache. */
const OTHER_RL = "rl.steps=2 steps";
const KERNELS = { training: "wasm", sampling: "cpu" };

async function plan(recipe: string, sets: string[] = []): Promise<Plan> {
  const r = await runCli(["plan", ...sets.flatMap((s) => ["--set", s]), recipe]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Plan;
}

/** `roux run --no-tui` of the hybrid recipe into a fresh folder: its run directory and output. */
async function run(out: string, sets: string[], flags: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ dir: string; stdout: string }> {
  const base = path.join(out, `run-${(await fs.readdir(out)).length}`);
  const r = await runCli(["run", "--no-tui", ...flags, ...[`run.out="${base}"`, WARMUP_EVAL, ...sets].flatMap((s) => ["--set", s]), HYBRID], env);
  expect(r.status, r.stderr).toBe(0);
  const [name] = await fs.readdir(base);
  return { dir: path.join(base, name!), stdout: r.stdout };
}

const records = async (file: string) => (await readJsonl(file)).records;

/** What a run computed: its metrics lines (clock fields and the cached mark aside), its eval answers, its final weights. */
async function computed(dir: string) {
  const metrics = (await records(path.join(dir, "metrics.jsonl"))).map(({ cached: _cached, ...line }) => deterministicFields(line));
  const evalFiles = (await fs.readdir(path.join(dir, "evals"))).sort();
  const evals = await Promise.all(evalFiles.map(async (f) => [f, await fs.readFile(path.join(dir, "evals", f), "utf8")]));
  const latest = await new RunDirectory(dir).latestCheckpoint();
  return { metrics, evals, position: latest?.checkpoint.position, weights: latest?.checkpoint.weights };
}

const eventsOf = async (dir: string) => records(path.join(dir, "events.jsonl"));
const stagesDir = () => path.join(process.env.ROUX_CACHE!, "stages");

describe("stage keys", () => {
  it("are shared by the arithmetic lab's grpo and prof recipes for their warm-up, and by nothing that changes it", async () => {
    const grpo = await stageKeys(await plan(path.join(REPO_ROOT, "recipes", "arith", "grpo.recipe")), KERNELS);
    const prof = await stageKeys(await plan(path.join(REPO_ROOT, "recipes", "arith", "prof.recipe")), KERNELS);
    expect(grpo).toHaveLength(2);
    expect(prof[0]).toBe(grpo[0]);
    expect(prof[1]).not.toBe(grpo[1]);
    const hybrid = await plan(HYBRID);
    const [warmup, rl] = await stageKeys(hybrid, KERNELS);
    // Where the run goes and what the recipe is called do not change what it computes.
    const elsewhere = await stageKeys(
      { ...hybrid, recipe: { name: "renamed", description: null }, settings: { ...hybrid.settings, out: "/elsewhere" } },
      KERNELS,
    );
    expect(elsewhere).toEqual([warmup, rl]);
    // The seed, the kernels and a later stage's change do.
    expect((await stageKeys(await plan(HYBRID, ["run.seed=10"]), KERNELS))[0]).not.toBe(warmup);
    expect((await stageKeys(hybrid, { ...KERNELS, training: "cpu" }))[0]).not.toBe(warmup);
    const [warmupAgain, otherRl] = await stageKeys(await plan(HYBRID, [OTHER_RL]), KERNELS);
    expect(warmupAgain).toBe(warmup);
    expect(otherRl).not.toBe(rl);
  });

  it("change with the content of a data file, not with its place", async () => {
    const dir = tempDir();
    const data = path.join(dir, "reverse.jsonl");
    await fs.copyFile(path.join(path.dirname(HYBRID), "reverse.jsonl"), data);
    const hybrid = await plan(HYBRID);
    const moved: Plan = { ...hybrid, datasets: hybrid.datasets.map((d) => (d.source.kind === "jsonl" ? { ...d, source: { ...d.source, path: data } } : d)) };
    const [warmup] = await stageKeys(hybrid, KERNELS);
    expect((await stageKeys(moved, KERNELS))[0]).toBe(warmup);
    await fs.appendFile(data, '{"prompt":"abc=","response":"cba"}\n');
    expect((await stageKeys(moved, KERNELS))[0]).not.toBe(warmup);
  });
});

describe("roux run with the stage cache", () => {
  it("computes from cached stages exactly what it computes without the cache, and says which stages were cached", async () => {
    const out = tempDir();
    const alone = await run(out, [], ["--no-cache"]);
    expect(existsSync(stagesDir())).toBe(false);
    const expected = await computed(alone.dir);

    const populate = await run(out, [OTHER_RL]);
    expect(populate.stdout).not.toContain("from the stage cache");
    const [warmupKey, rlKey] = await stageKeys(await plan(HYBRID, [WARMUP_EVAL]), KERNELS);

    // The warm-up from the cache, the RL stage trained.
    const partly = await run(out, []);
    expect(partly.stdout).toContain(`stage warmup from the stage cache (${warmupKey!.slice(0, 12)})`);
    expect(partly.stdout).not.toContain("stage rl from the stage cache");
    expect(await computed(partly.dir)).toEqual(expected);
    const lines = await records(path.join(partly.dir, "metrics.jsonl"));
    expect(lines.map((l) => l.cached)).toEqual([...Array(6).fill(warmupKey), ...Array(4).fill(undefined)]);
    const cachedEvents = (await eventsOf(partly.dir)).filter((e) => e.event === "stage_cached");
    expect(cachedEvents.map((e) => [e.stage, e.key])).toEqual([["warmup", warmupKey]]);

    // Both stages from the cache: nothing trained, the same record.
    const wholly = await run(out, []);
    expect(wholly.stdout).toContain("stage rl from the stage cache");
    expect((await eventsOf(wholly.dir)).filter((e) => e.event === "stage_start")).toHaveLength(2);
    expect(await computed(wholly.dir)).toEqual(expected);
    expect((await records(path.join(wholly.dir, "metrics.jsonl"))).map((l) => l.cached)).toEqual([...Array(6).fill(warmupKey), ...Array(4).fill(rlKey)]);

    // --no-cache neither reads nor stores.
    const uncached = await run(out, [], ["--no-cache"]);
    expect(uncached.stdout).not.toContain("stage cache");
    expect((await records(path.join(uncached.dir, "metrics.jsonl"))).every((l) => l.cached === undefined)).toBe(true);
  });

  it("keeps the cache within its size limit after each store, least recently used out first, the stage just stored kept", async () => {
    const out = tempDir();
    const [warmupKey, rlKey] = await stageKeys(await plan(HYBRID, [WARMUP_EVAL]), KERNELS);
    await run(out, [], [], { ROUX_STAGE_CACHE_MAX_BYTES: "1" });
    expect(await fs.readdir(stagesDir())).toEqual([rlKey]);
    // The entry kept holds the whole prefix: a run of the same plan takes both stages from it.
    const again = await run(out, []);
    expect(again.stdout).toContain("stage rl from the stage cache");
    expect(again.stdout).toContain(`stage warmup from the stage cache (${warmupKey!.slice(0, 12)})`);
  });

  it("resumes a run that started from the cache to what the run without the cache computes", async () => {
    const out = tempDir();
    const expected = await computed((await run(out, [], ["--no-cache"])).dir);
    await run(out, [OTHER_RL]);
    const hybrid = await plan(HYBRID, [`run.out="${out}"`, WARMUP_EVAL]);
    const dir = await createRunDirectory(hybrid, path.join(out, "stopped"), []);
    const controller = new AbortController();
    const cache = { dir: stagesDir(), maxBytes: DEFAULT_MAX_BYTES };
    // Stopped after its second RL step: the warm-up came from the cache, half the RL stage was trained.
    const stopped = await startRun(dir, hybrid, { cache, signal: controller.signal, onMetrics: (r) => r.stage === "rl" && r.step === 2 && controller.abort() });
    expect(stopped.status).toBe("stopped");
    expect((await dir.latestCheckpoint())?.checkpoint.position).toEqual({ stage: 1, stageName: "rl", step: 2 });
    expect((await resumeRun(dir, { cache })).status).toBe("done");
    expect(await computed(dir.dir)).toEqual(expected);
  });
});

describe("entries that are not used", () => {
  /** Fills the cache with the hybrid run's warm-up; returns the warm-up's entry folder. */
  async function cachedWarmup(out: string): Promise<string> {
    await run(out, [OTHER_RL]);
    const [warmupKey] = await stageKeys(await plan(HYBRID, [WARMUP_EVAL]), KERNELS);
    return path.join(stagesDir(), warmupKey!);
  }

  for (const [what, spoil, reason] of [
    [
      "a corrupt checkpoint",
      async (entry: string) => {
        const file = path.join(entry, "ckpt", "warmup-000006.ckpt");
        const bytes = await fs.readFile(file);
        bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
        await fs.writeFile(file, bytes);
      },
      "its file ckpt/warmup-000006.ckpt does not match its checksum",
    ],
    [
      "a key that no longer matches its material",
      async (entry: string) => {
        const info = JSON.parse(await fs.readFile(path.join(entry, "entry.json"), "utf8"));
        info.material.seed = 10;
        await fs.writeFile(path.join(entry, "entry.json"), JSON.stringify(info));
      },
      "its key material no longer hashes to its key",
    ],
    ["a missing file", (entry: string) => fs.rm(path.join(entry, "ckpt", "ref-warmup.ckpt")), "its file ckpt/ref-warmup.ckpt is missing"],
  ] as const) {
    it(`refuses ${what}, says so in one line, removes the entry and trains the stage`, async () => {
      const out = tempDir();
      const expected = await computed((await run(out, [], ["--no-cache"])).dir);
      const entry = await cachedWarmup(out);
      await spoil(entry);
      const r = await run(out, []);
      const warnings = r.stdout.split("\n").filter((l) => l.includes("not used"));
      expect(warnings).toEqual([`warning: stage cache entry ${path.basename(entry).slice(0, 12)} (stage warmup) not used and removed: ${reason}`]);
      expect(r.stdout).not.toContain("from the stage cache");
      expect(await computed(r.dir)).toEqual(expected);
      expect((await eventsOf(r.dir)).filter((e) => e.event === "cache_rejected").map((e) => e.reason)).toEqual([reason]);
      // Stored again, whole, by the run that trained it.
      expect(existsSync(path.join(entry, "entry.json"))).toBe(true);
    });
  }
});

describe("locks", () => {
  it("take over a lock whose process is gone", async () => {
    const out = tempDir();
    const [warmupKey] = await stageKeys(await plan(HYBRID, [WARMUP_EVAL]), KERNELS);
    await fs.mkdir(stagesDir(), { recursive: true });
    await fs.writeFile(lockFile(stagesDir(), warmupKey!), `${await deadPid()}\n`);
    const r = await run(out, []);
    expect(r.stdout).not.toContain("waiting");
    expect(existsSync(path.join(stagesDir(), warmupKey!, "entry.json"))).toBe(true);
    expect(existsSync(lockFile(stagesDir(), warmupKey!))).toBe(false);
  });

  it("make a run wait, saying for what, while a live process computes the stage, and compute it once that process is gone", async () => {
    const out = tempDir();
    const hybrid = await plan(HYBRID, [`run.out="${out}"`, WARMUP_EVAL]);
    const [warmupKey] = await stageKeys(hybrid, KERNELS);
    const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    await fs.mkdir(stagesDir(), { recursive: true });
    await fs.writeFile(lockFile(stagesDir(), warmupKey!), `${holder.pid}\n`);
    const dir = await createRunDirectory(hybrid, path.join(out, "waits"), []);
    const lines: string[] = [];
    const outcome = await startRun(dir, hybrid, {
      cache: { dir: stagesDir(), maxBytes: DEFAULT_MAX_BYTES },
      onEvent: (e) => {
        if (e.event === "cache_wait") {
          lines.push(`${e.stage} ${e.pid}`);
          holder.kill("SIGKILL");
        }
      },
    });
    expect(outcome.status).toBe("done");
    expect(lines).toEqual([`warmup ${holder.pid}`]);
    expect(existsSync(path.join(stagesDir(), warmupKey!, "entry.json"))).toBe(true);
    expect((await readCheckpoint(path.join(stagesDir(), warmupKey!, "ckpt", "warmup-000006.ckpt"))).position.step).toBe(6);
  });
});

import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Plan } from "../plan/plan.js";
import { readRun } from "../runtime/record/read-run.js";
import { REPO_ROOT } from "../test/recipes.js";
import { keepFinished } from "./finished-run.js";

// A recorded run (test/fixtures/runs/README.md), given a run_end below to make it a finished one.
const RECORDED = path.join(REPO_ROOT, "test", "fixtures", "runs", "arith_chord-20261203-114542");

let out: string;
let plan: Plan;
beforeEach(async () => {
  out = await fs.mkdtemp(path.join(os.tmpdir(), "roux-lab-keep-"));
  plan = (await readRun(RECORDED, REPO_ROOT)).plan;
});
afterEach(async () => {
  await fs.rm(out, { recursive: true, force: true });
});

/** OUT/grpo-s17/<run>: a copy of the finished run, its events cut to `keep` lines when given. */
async function copyRun(run: string, keep?: number): Promise<string> {
  const dir = path.join(out, "grpo-s17", run);
  await fs.cp(RECORDED, dir, { recursive: true });
  const file = path.join(dir, "events.jsonl");
  const events = (await fs.readFile(file, "utf8")).trim().split("\n");
  const finished = [...events, JSON.stringify({ event: "run_end", time: 1796298600, status: "done" })];
  await fs.writeFile(file, `${(keep === undefined ? finished : events.slice(0, keep)).join("\n")}\n`);
  return dir;
}

describe("a lab run done earlier", () => {
  it("is kept when it finished with the same plan", async () => {
    const dir = await copyRun("a");
    expect(await keepFinished(out, path.join(out, "grpo-s17"), plan)).toBe(dir);
    expect(existsSync(dir)).toBe(true);
  });

  it("is moved aside, not deleted, when its plan differs or it did not finish", async () => {
    const unfinished = await copyRun("a", 3);
    const other = await copyRun("b");
    const changed = { ...plan, settings: { ...plan.settings, seed: plan.settings.seed + 1 } };
    expect(await keepFinished(out, path.join(out, "grpo-s17"), changed)).toBeUndefined();
    expect(existsSync(unfinished) || existsSync(other)).toBe(false);
    expect((await fs.readdir(path.join(out, "superseded", "grpo-s17"))).sort()).toEqual(["a", "b"]);
  });

  it("keeps one finished run of the plan and moves an unfinished one of the same plan aside", async () => {
    await copyRun("a", 3);
    const done = await copyRun("b");
    expect(await keepFinished(out, path.join(out, "grpo-s17"), plan)).toBe(done);
    expect(await fs.readdir(path.join(out, "grpo-s17"))).toEqual(["b"]);
  });
});

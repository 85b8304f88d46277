/**
 * The runtime applies the plan's rules (plan/check-plan.ts) to every plan it is handed: a plan
 * file is input like a recipe, and one edited by hand, or written by another tool, may break a
 * rule the compiler would have reported.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { planOfFile } from "../../compiler/plan/testing.js";
import type { Plan } from "../../plan/plan.js";
import { readPlanFile, readRunnablePlan, RunDirectoryError } from "../record/plan-file.js";
import { createRunDirectory, RunDirectory } from "./run-dir.js";
import { startRun } from "./runner.js";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "roux-refuse-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** The GRPO recipe's plan with its advantage written out of order. */
function outOfOrder(): Plan {
  const plan = planOfFile("recipes/arith/grpo.recipe");
  for (const node of plan.stages.flatMap((s) => s.graph)) if (node.op === "Advantage") node.ops = [{ kind: "whiten" }, { kind: "rloo" }];
  return plan;
}

const REFUSAL =
  "the plan breaks a rule the runtime relies on:\n  stage `rl`, node `advantage`.ops[1]: the advantage applies `rloo` after `whiten` (write `rloo |> whiten`)";

describe("a plan that breaks a rule", () => {
  it("is refused when read from a file to run, naming the file, where the plan breaks the rule, and the fix", async () => {
    const file = path.join(dir, "plan.json");
    await fs.writeFile(file, JSON.stringify(outOfOrder()));
    await expect(readRunnablePlan(file)).rejects.toThrow(new RunDirectoryError(`${file}: ${REFUSAL}`));
    // A run directory's plan is read to run again (resume, eval)...
    await expect(new RunDirectory(dir).readRunnablePlan()).rejects.toThrow(new RunDirectoryError(`${file}: ${REFUSAL}`));
    // ...but a failed run stays readable for the commands that only show it.
    expect(await readPlanFile(file)).toEqual(outOfOrder());
  });

  it("fails the run it is handed before anything loads, with the same message", async () => {
    const plan = outOfOrder();
    const run = await createRunDirectory(plan, dir, []);
    expect(await startRun(run, plan)).toEqual({ status: "failed", message: REFUSAL });
    const events = (await fs.readFile(run.eventsFile, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { event: string });
    expect(events.map((e) => e.event)).toEqual(["error", "run_end"]);
  });
});

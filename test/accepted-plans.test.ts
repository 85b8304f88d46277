/**
 * What `roux check` accepts, the runtime runs: every recipe the checker accepts (the shipped
 * recipes, the golden cases that check clean, and thousands of seeded mutations of them) lowers
 * to a plan that the schema and the plan's rules (plan/check-plan.ts) accept, and that the
 * runtime's readers of a stage (readStageGraph, the advantage pipeline's builder) read without
 * throwing. And the other way: a mutation the checker refuses only for a plan rule (E3107) is
 * one those readers would have refused at run time.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lowerProgram } from "../compiler/plan/lower.js";
import { TARGETS, type Target } from "../compiler/check/target.js";
import { checkProgram, type ProgramResult } from "../compiler/program.js";
import { overrideSources } from "../compiler/overrides.js";
import { checkPlan } from "../plan/check-plan.js";
import type { Plan, RlStage } from "../plan/plan.js";
import { validatePlan } from "../plan/validate.js";
import { mulberry32 } from "../runtime/ops/rng.js";
import { advantagePlan } from "../runtime/ops/pipeline.js";
import { readStageGraph } from "../runtime/reward-graph/stage-graph.js";
import { mutate } from "./mutate.js";
import { stageOverrides, type RecipeFacts } from "./mutate-stage.js";
import { recipeFiles, REPO_ROOT } from "./recipes.js";

const STAGE_MUTATIONS = 3_500;
const TEXT_MUTATIONS = 1_000;

type Verdict = { kind: "refused" } | { kind: "plan-rule"; plan: Plan } | { kind: "accepted"; plan: Plan };

/**
 * `roux check`'s verdict on the program, but for the files it names (which do not change a
 * plan's shape): refused for an error of the checker, else for a plan rule (E3107, one per issue
 * of checkPlan: compiler/plan/plan-diagnostics.ts), else accepted.
 */
function verdict(program: ProgramResult): Verdict {
  if (program.root.result?.run === undefined || program.diagnostics.some((d) => d.severity === "error")) return { kind: "refused" };
  const plan = lowerProgram(program);
  return checkPlan(plan).length > 0 ? { kind: "plan-rule", plan } : { kind: "accepted", plan };
}

/** Runs the runtime's readers of every RL stage; the first error they throw, if any. */
function readersRefuse(plan: Plan): Error | undefined {
  try {
    for (const stage of plan.stages.filter((s): s is RlStage => s.kind === "rl")) advantagePlan(readStageGraph(plan, stage).config.advantage);
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

function expectRunnable(plan: Plan, what: string): void {
  const schema = validatePlan(JSON.parse(JSON.stringify(plan)));
  expect(schema.ok ? [] : schema.errors, what).toEqual([]);
  expect(checkPlan(plan), what).toEqual([]);
  expect(readersRefuse(plan)?.message, what).toBeUndefined();
}

function factsOf(program: ProgramResult, plan: Plan): RecipeFacts {
  const declarations = [...(program.root.result?.declarations.values() ?? [])];
  const order = plan.stages.map((s) => s.name);
  return {
    rlStages: plan.stages
      .filter((s) => s.kind === "rl" && declarations.some((d) => d.kind === "stage" && d.name === s.name))
      .map((s) => ({ name: s.name, before: order.slice(0, order.indexOf(s.name)) })),
    rewards: declarations.flatMap((d) => (d.kind === "reward" && d.value?.reward ? [{ name: d.name, granularity: d.value.reward.granularity }] : [])),
    demonstrations: declarations.flatMap((d) => (d.kind === "data" && d.value?.dataset?.responses ? [d.name] : [])),
  };
}

const shipped = recipeFiles();
const goldens = recipeFiles(path.join(REPO_ROOT, "test/golden")).filter(({ file }) => !file.split(path.sep).includes("cache"));
// The bases to mutate: every recipe that checks clean as it is, for the first target it checks
// clean for (a hub model runs only on an export target).
const bases = [...shipped, ...goldens].flatMap(({ file, source }) => {
  for (const target of TARGETS) {
    const program = checkProgram(file, source, { target });
    const v = verdict(program);
    if (v.kind === "accepted") return [{ file, source, target, facts: factsOf(program, v.plan) }];
  }
  return [];
});

function check(base: { file: string; target: Target }, source: string, sets: readonly string[] = []): Verdict {
  return verdict(checkProgram(base.file, source, { target: base.target, overrides: overrideSources(sets) }));
}

describe("plans of accepted recipes", () => {
  it("include every shipped recipe with a run block", () => {
    const runnable = shipped.filter((r) => r.source.includes("run {"));
    expect(bases.map((b) => b.file)).toEqual(expect.arrayContaining(runnable.map((r) => r.file)));
    expect(bases.length).toBeGreaterThan(runnable.length);
  });

  it("of the shipped recipes and clean golden cases: the schema, the rules and the runtime's readers accept them", () => {
    for (const base of bases) {
      const v = check(base, base.source);
      if (v.kind !== "accepted") throw new Error(`${base.file} no longer checks clean`);
      expectRunnable(v.plan, base.file);
    }
  });

  const mutations = `${STAGE_MUTATIONS} stage mutations (--set) and ${TEXT_MUTATIONS} text mutations`;
  it(`of ${mutations}: accepted ones run, and ones refused by a plan rule would not have`, () => {
    const random = mulberry32(160_001);
    const counts = { accepted: 0, planRule: 0, refused: 0 };
    const tally = (v: Verdict, what: string) => {
      if (v.kind === "refused") counts.refused++;
      else if (v.kind === "accepted") {
        counts.accepted++;
        expectRunnable(v.plan, what);
      } else {
        counts.planRule++;
        expect(readersRefuse(v.plan), `${what}: refused by a plan rule the runtime's readers do not hold`).toBeInstanceOf(Error);
      }
    };
    for (let i = 0; i < STAGE_MUTATIONS; i++) {
      const base = bases[i % bases.length]!;
      const sets = stageOverrides(base.facts, random);
      tally(check(base, base.source, sets), `${base.file} --set ${sets.join(" --set ")}`);
    }
    for (let i = 0; i < TEXT_MUTATIONS; i++) {
      const base = bases[i % bases.length]!;
      const text = mutate(base.source, random);
      tally(check(base, text), `mutation ${i} of ${base.file}:\n${text}`);
    }
    // Enough of each to mean something: thousands accepted, and the plan rules reached.
    expect(counts.accepted).toBeGreaterThan(2_000);
    expect(counts.planRule).toBeGreaterThan(50);
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planOfFile } from "../compiler/plan/testing.js";
import { upgradePlan } from "./upgrade.js";
import { validatePlan } from "./validate.js";

const ROOT = path.resolve(import.meta.dirname, "..");
// A plan.json written by `roux run` before `dynamic_sampling` and an eval's `samples` existed.
const RECORDED = JSON.parse(readFileSync(path.join(ROOT, "test/fixtures/runs/arith_chord-20261203-114542/plan.json"), "utf8"));

describe("upgradePlan", () => {
  it("reads a plan written before fields joined version 1 as one that means the same today", () => {
    expect(validatePlan(RECORDED).ok).toBe(false);
    const upgraded = validatePlan(upgradePlan(RECORDED));
    expect(upgraded.ok).toBe(true);
    if (!upgraded.ok) return;
    const rl = upgraded.plan.stages.find((s) => s.kind === "rl");
    expect(rl?.kind === "rl" && rl.dynamic_sampling).toBe(null);
    expect(upgraded.plan.stages.map((s) => s.eval?.samples)).toEqual([1, 1]);
  });

  it("leaves a plan written today as it is", () => {
    const plan = planOfFile("recipes/arith/flagship.recipe");
    expect(upgradePlan(plan)).toEqual(plan);
  });

  it("leaves what is not a plan for the schema to refuse", () => {
    for (const value of [null, 3, "plan", [], { stages: "none" }]) expect(upgradePlan(value)).toEqual(value);
  });
});

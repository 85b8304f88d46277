import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { recipeFiles, REPO_ROOT } from "../test/recipes.js";
import type { Plan } from "./plan.js";
import { nth, planOf, planOfFile, recipe } from "../compiler/plan/testing.js";
import { planSchemaFile, validatePlan } from "./validate.js";

/** A plan as the runtime reads it from a file. */
function asFile(plan: Plan): unknown {
  return JSON.parse(JSON.stringify(plan));
}

describe("plan.schema.json", () => {
  it("is a draft 2020-12 schema", () => {
    expect(JSON.parse(readFileSync(planSchemaFile(), "utf8")).$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });

  for (const { file } of recipeFiles(path.join(REPO_ROOT, "recipes/arith"))) {
    it(`accepts the plan of ${file}`, () => {
      expect(validatePlan(asFile(planOfFile(file)))).toMatchObject({ ok: true });
    });
  }

  it("accepts plans with every kind of reward source, expression, credit, advantage and expert", () => {
    const plan = planOf(
      recipe(
        `reward = clip(2 * renorm(process = steps, outcome = threshold(js_score, 0.5)) - 1, -1, 1) + each_step(-gate(steps, on = correct))
  credit = min_form(strict = true)
  advantage = group_norm(std = false) |> whiten |> empg
  loss = ppo { clip_high = 0.28, entropy = 0.01, aggregate = seq_mean_token_sum_norm }
  expert = mix { data = demos.shuffle(3).take(50), weight = cosine(0.5 -> 0, over = 20 steps) }
  eval = { data = train, every = 5 steps, rewards = [numeric_match("(\\\\d+)"), threshold(js_score, 0.5)] }`,
        `reward js_score : outcome = js("score.ts", "score") { range = 0..1 }\n`,
      ),
    );
    expect(validatePlan(asFile(plan))).toMatchObject({ ok: true });
  });

  it("rejects a plan with an unknown field, a value out of range or an unknown op, saying where", () => {
    const plan = asFile(planOfFile("recipes/arith/flagship.recipe")) as { stages: { graph: Record<string, unknown>[] }[] };
    const node = (stage: number, index: number) => nth(nth(plan.stages, stage).graph, index);
    node(1, 3).extra = true;
    (node(1, 6).loss as { clip: number }).clip = -1;
    node(0, 0).op = "Shuffle";
    const result = validatePlan(plan);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      '/stages/0/graph/0: value of tag "op" must be in oneOf (found `"Shuffle"`)',
      "/stages/1/graph/3: must NOT have additional properties (`extra`)",
      "/stages/1/graph/6/loss/clip: must be > 0",
    ]);
  });

  it("accepts a stage's dynamic sampling, and rejects a cap below 1 as the checker does (E2105)", () => {
    const plan = planOf(recipe("reward = correct\n  dynamic_sampling = { max_refills = 2 }"));
    const rl = asFile(plan) as { stages: { kind: string; dynamic_sampling: unknown }[] };
    const stage = rl.stages.find((s) => s.kind === "rl")!;
    expect(stage.dynamic_sampling).toEqual({ max_refills: 2 });
    expect(validatePlan(rl)).toMatchObject({ ok: true });
    stage.dynamic_sampling = { max_refills: 0 };
    const refused = validatePlan(rl);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.errors).toContain("/stages/1/dynamic_sampling/max_refills: must be >= 1");
  });

  it("rejects a plan of another version", () => {
    expect(validatePlan({ ...(asFile(planOfFile("recipes/arith/sft.recipe")) as object), version: 2 })).toEqual({
      ok: false,
      errors: ["/version: must be equal to constant (`1`)"],
    });
  });
});

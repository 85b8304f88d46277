import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../test/recipes.js";
import { runCli } from "../../test/run-cli.js";
import { loadSweep, MAX_POINTS } from "./load-sweep.js";

const TINY = path.join(REPO_ROOT, "test/e2e/recipes/tiny.sweep");

/** A recipe on std/arith (no files to read), followed by `tail`, written to a fresh folder. */
function arithRecipe(tail: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "roux-sweep-"));
  const file = path.join(dir, "grid.recipe");
  writeFileSync(
    file,
    `recipe grid "GRPO on arith"

use "std/arith" as arith

model policy = transformer { layers = 1, d_model = 32, heads = 2, context = 96, tokenizer = arith.tokenizer }
data train = arith.problems { count = 64 }
reward correct : outcome = arith.answer_match

stage rl = grpo with {
  data = train
  steps = 10 steps
  batch = 4
  group = 4
  sample = { max_tokens = 32 tokens }
  reward = correct
  optimizer = adam { lr = 1e-3 }
}

run { stages = rl, seed = 1 }
${tail}`,
  );
  return file;
}

describe("loadSweep", () => {
  it("expands a recipe's grid into its cartesian product, named by variant and values", async () => {
    const file = arithRecipe("sweep { run.seed = [17, 18, 19], rl.optimizer.lr = [1e-4, 3e-4] }\n");
    const { sweep, diagnostics } = await loadSweep(file);
    expect(diagnostics).toEqual([]);
    expect(sweep?.name).toBe("grid");
    expect(sweep?.points.map((p) => p.name)).toEqual([
      "grid-seed=17-lr=0.0001",
      "grid-seed=17-lr=0.0003",
      "grid-seed=18-lr=0.0001",
      "grid-seed=18-lr=0.0003",
      "grid-seed=19-lr=0.0001",
      "grid-seed=19-lr=0.0003",
    ]);
    const last = sweep?.points[5];
    expect(last?.values).toEqual([
      { path: "run.seed", value: "19" },
      { path: "rl.optimizer.lr", value: "3e-4" },
    ]);
    expect(last?.plan.settings.seed).toBe(19);
    expect(JSON.stringify(last?.plan.stages[0])).toContain("0.0003");
  });

  it("crosses a recipe's variants with its grid", async () => {
    const file = arithRecipe("variants {\n  base = {}\n  null = { rl.control = shuffled_advantages }\n}\nsweep { run.seed = [1, 2] }\n");
    const { sweep, diagnostics } = await loadSweep(file);
    expect(diagnostics).toEqual([]);
    expect(sweep?.points.map((p) => [p.name, p.variant])).toEqual([
      ["base-seed=1", "base"],
      ["base-seed=2", "base"],
      ["null-seed=1", "null"],
      ["null-seed=2", "null"],
    ]);
    expect(sweep?.points[2]?.values).toEqual([
      { path: "rl.control", value: "shuffled_advantages" },
      { path: "run.seed", value: "1" },
    ]);
  });

  it("runs the variants of a sweep file over several recipes, each path relative to the sweep file", async () => {
    const { sweep, diagnostics } = await loadSweep(TINY);
    expect(diagnostics).toEqual([]);
    expect(sweep?.points.map((p) => [p.name, path.relative(REPO_ROOT, p.recipeFile), p.plan.recipe.name])).toEqual([
      ["sft-seed=1", "test/e2e/recipes/sft.recipe", "tiny_sft"],
      ["sft-seed=2", "test/e2e/recipes/sft.recipe", "tiny_sft"],
      ["rl-seed=1", "test/e2e/recipes/rl.recipe", "tiny_rl"],
      ["rl-seed=2", "test/e2e/recipes/rl.recipe", "tiny_rl"],
      ["rl_null-seed=1", "test/e2e/recipes/rl.recipe", "tiny_rl"],
      ["rl_null-seed=2", "test/e2e/recipes/rl.recipe", "tiny_rl"],
    ]);
  });

  it("gives each point the plan `roux plan RECIPE --set ...` gives for its values", async () => {
    const grid = arithRecipe(
      "variants { base = {}, hot = { rl.sample = { temperature = 1.3, max_tokens = 32 tokens } } }\nsweep { rl.optimizer.lr = [1e-4, 3e-4] }\n",
    );
    for (const file of [TINY, grid]) {
      const { sweep } = await loadSweep(file);
      expect(sweep?.points.length).toBeGreaterThan(0);
      for (const point of sweep?.points ?? []) {
        const sets = point.values.flatMap((v) => ["--set", `${v.path}=${v.value}`]);
        const planned = await runCli(["plan", ...sets, point.recipeFile]);
        expect(planned.stderr, point.name).toBe("");
        expect(JSON.parse(planned.stdout), point.name).toEqual(point.plan);
      }
    }
  });

  it("reports a mistake in one point at its setting, with a note naming the point", async () => {
    const file = arithRecipe("sweep { rl.group = [4, 1] }\n");
    const { sweep, pointNames, diagnostics } = await loadSweep(file);
    expect(sweep).toBeUndefined();
    expect(pointNames).toEqual(["grid-group=4", "grid-group=1"]);
    const errors = diagnostics.filter((d) => d.severity === "error");
    expect(errors.length).toBeGreaterThan(0);
    const source = readFileSync(file, "utf8");
    for (const d of errors) {
      expect(d.span.file).toBe(file);
      expect(source.slice(d.span.start.offset, d.span.end.offset)).toBe("1");
      expect(d.notes).toContain("in sweep point `grid-group=1`");
    }
  });

  it("reports the recipe's own mistake once, not once a point", async () => {
    const file = arithRecipe("sweep { run.seed = [1, 2, 3] }\n").replace(/$/, "");
    writeFileSync(file, readFileSync(file, "utf8").replace("group = 4", "group = 4\n  grup = 2"));
    const { diagnostics } = await loadSweep(file);
    expect(diagnostics.map((d) => [d.code, d.notes.some((n) => n.includes("sweep point"))])).toEqual([["E2102", false]]);
  });

  it("refuses a sweep of more than MAX_POINTS points before checking any", async () => {
    const values = Array.from({ length: MAX_POINTS + 1 }, (_, i) => i).join(", ");
    const { sweep, pointNames, diagnostics } = await loadSweep(arithRecipe(`sweep { run.seed = [${values}] }\n`));
    expect([sweep, pointNames, diagnostics.map((d) => d.code)]).toEqual([undefined, [], ["E3505"]]);
  });

  it("names points uniquely and safely as directories", async () => {
    const file = arithRecipe(
      "sweep { run.seed = [1], rl.sample = [{ temperature = 0.5, max_tokens = 32 tokens }, { temperature = 0.5,  max_tokens = 32 tokens }] }\n",
    );
    const { pointNames } = await loadSweep(file);
    expect(pointNames.length).toBe(2);
    expect(new Set(pointNames).size).toBe(2);
    for (const name of pointNames) expect(name).toMatch(/^[A-Za-z0-9._=+~-]+$/);
  });
});

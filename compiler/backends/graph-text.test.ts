/**
 * Golden tests of `roux graph --format text`: the drawing of each recipe in recipes/arith must
 * equal golden/NAME.txt. `UPDATE_GOLDEN=1 npx vitest run compiler/backends` rewrites them;
 * review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { recipeFiles, REPO_ROOT } from "../../test/recipes.js";
import { planOf, planOfFile, recipe } from "../plan/testing.js";
import { graphText } from "./graph-text.js";

describe("graph text", () => {
  for (const { file } of recipeFiles(path.join(REPO_ROOT, "recipes/arith"))) {
    it(`draws ${file} as its golden file`, () => {
      const text = graphText(planOfFile(file));
      const golden = path.join(REPO_ROOT, "compiler/backends/golden", `${path.basename(file, ".recipe")}.txt`);
      if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
      expect(existsSync(golden), `${golden} is missing (run with UPDATE_GOLDEN=1)`).toBe(true);
      expect(text).toBe(readFileSync(golden, "utf8"));
    });
  }

  it("labels a null control's Advantage node with its control", () => {
    expect(graphText(planOf(recipe("  reward = correct\n  control = shuffled_advantages")))).toMatch(
      /\n {2}Advantage\(group_norm, control shuffled_advantages\) +──▶ A\[/,
    );
    expect(graphText(planOf(recipe("  reward = correct")))).toMatch(/\n {2}Advantage\(group_norm\) +──▶ A\[/);
  });

  it("joins a node to the lines above it only when it reads exactly those values", () => {
    const text = graphText(planOf(recipe("reward = prof(outcome = correct, process = steps, remove = 2)")));
    expect(text).toContain("──▶ y[B,G]   ┐\n");
    expect(text).toMatch(/──▶ v\[B,G,K\] ┴▶ Filter\(PROF remove=2\) ──▶ keep\[B,G\]\n/);
    expect(text).toMatch(/\n {2}Credit\(outcome\) +──▶ returns/);
  });
});

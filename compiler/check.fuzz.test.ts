/**
 * The checker never throws: every mutation of the shipped recipes that still parses is checked
 * and lowered (when it checks clean) without an exception, and every diagnostic has a location.
 */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../runtime/ops/rng.js";
import { mutate } from "../test/mutate.js";
import { recipeFiles } from "../test/recipes.js";
import { lowerProgram } from "./plan/lower.js";
import { checkProgram } from "./program.js";

const MUTATIONS = 3_000;

describe("the checker on mutated recipes", () => {
  it(`checks (and lowers) each of ${MUTATIONS} mutations without throwing`, () => {
    const recipes = recipeFiles().filter((r) => r.source.includes("run {"));
    const random = mulberry32(72026);
    let checked = 0;
    let lowered = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      const recipe = recipes[i % recipes.length];
      if (recipe === undefined) throw new Error("recipes/ holds no recipe to mutate");
      const { file, source } = recipe;
      const text = mutate(source, random);
      try {
        const program = checkProgram(file, text);
        if (program.root.result === undefined) continue;
        checked++;
        for (const d of program.diagnostics) {
          if (!(d.span.start.line >= 1 && d.message.length > 0)) throw new Error(`diagnostic without a location: ${JSON.stringify(d)}`);
        }
        // A mutation that deletes `run` leaves a module, which `roux plan` refuses before lowering.
        if (program.root.result.run && !program.diagnostics.some((d) => d.severity === "error")) {
          lowerProgram(program);
          lowered++;
        }
      } catch (error) {
        throw new Error(`mutation ${i} of ${file} threw ${(error as Error).stack}\n--- input ---\n${text}`);
      }
    }
    // The mutations must reach the checker and the lowering often enough to mean something.
    expect(checked).toBeGreaterThan(MUTATIONS / 10);
    expect(lowered).toBeGreaterThan(MUTATIONS / 100);
  });
});

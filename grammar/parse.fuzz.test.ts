import { describe, expect, it } from "vitest";
import { mulberry32 } from "../runtime/ops/rng.js";
import { mutate } from "../test/mutate.js";
import path from "node:path";
import { recipeFiles, REPO_ROOT } from "../test/recipes.js";
import { sameAst } from "./ast-equal.js";
import type { RecipeFile } from "./ast.js";
import { format } from "./format.js";
import { type ParseResult, parse } from "./parse.js";

const MUTATIONS = 10_000;

/** A clean parse must format to text that parses to the same AST, and formatting is idempotent. */
function expectRoundTrip(text: string, ast: RecipeFile, what: string): void {
  const formatted = format(ast, text);
  const reparsed = parse(formatted, "formatted.recipe");
  const ok = reparsed.diagnostics.length === 0 && sameAst(ast, reparsed.ast) && format(reparsed.ast, formatted) === formatted;
  if (!ok) throw new Error(`${what}: the formatter round trip fails\n--- input ---\n${text}\n--- formatted ---\n${formatted}`);
}

describe("the parser on mutated recipes", () => {
  // The shipped recipes, and the sweep files of the end-to-end tests for the sweep items (docs/language.md §10).
  const recipes = [...recipeFiles(), ...recipeFiles(path.join(REPO_ROOT, "test/e2e/recipes"), [".sweep"])];

  it(`never throws; each of ${MUTATIONS} mutations reports located errors or parses clean and round-trips through fmt`, () => {
    const random = mulberry32(20261126);
    let clean = 0;
    let failures = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      const recipe = recipes[i % recipes.length];
      if (recipe === undefined) throw new Error("recipes/ holds no recipe to mutate");
      const { file, source } = recipe;
      const text = mutate(source, random);
      let result: ParseResult;
      try {
        result = parse(text, file);
      } catch (error) {
        throw new Error(`mutation ${i} of ${file} threw ${(error as Error).stack}\n--- input ---\n${text}`);
      }
      if (result.diagnostics.length === 0) {
        clean++;
        expectRoundTrip(text, result.ast, `mutation ${i} of ${file}`);
        continue;
      }
      failures++;
      for (const d of result.diagnostics) {
        const { start, end } = d.span;
        const located =
          d.span.file === file &&
          start.line >= 1 &&
          start.column >= 1 &&
          start.offset >= 0 &&
          start.offset <= end.offset &&
          end.offset <= text.length &&
          d.message.length > 0;
        if (!located) throw new Error(`mutation ${i}: diagnostic without a valid span: ${JSON.stringify(d)}\n--- input ---\n${text}`);
      }
    }
    // Both outcomes must occur, or the mutations are not exercising the parser.
    expect(clean).toBeGreaterThan(MUTATIONS / 50);
    expect(failures).toBeGreaterThan(MUTATIONS / 2);
  });
});

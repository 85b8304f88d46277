import { describe, expect, it } from "vitest";
import { mulberry32 } from "../runtime/ops/rng.js";
import { mutate } from "../test/mutate.js";
import { recipeFiles } from "../test/recipes.js";
import { parse } from "./parse.js";
import { Reparser, reparse } from "./reparse.js";

const EDITS = 1500;

/** One character typed, deleted or replaced at a random place: what an editor sends most. */
function typeOne(source: string, random: () => number): string {
  const at = Math.floor(random() * (source.length + 1));
  const typed = '0123456789 x_\n{}=.,"'.charAt(Math.floor(random() * 20));
  switch (Math.floor(random() * 3)) {
    case 0:
      return source.slice(0, at) + typed + source.slice(at);
    case 1:
      return source.slice(0, at) + source.slice(at + 1);
    default:
      return source.slice(0, at) + typed + source.slice(at + 1);
  }
}

describe("reparsing after an edit", () => {
  const recipes = recipeFiles().filter(({ file, source }) => parse(source, file).diagnostics.length === 0);

  it(`gives exactly the whole parse, spans and comments included, for each of ${EDITS} edits of the recipes`, () => {
    const random = mulberry32(20261207);
    let reused = 0;
    for (let i = 0; i < EDITS; i++) {
      const { file, source } = recipes[i % recipes.length]!;
      const edited = i % 2 === 0 ? typeOne(source, random) : mutate(source, random);
      const result = reparse({ text: source, ast: parse(source, file).ast }, edited, file);
      if (result === undefined) continue;
      reused++;
      const whole = parse(edited, file);
      expect(whole.diagnostics, `${file}, edit ${i}`).toEqual([]);
      expect(result.ast, `${file}, edit ${i}`).toEqual(whole.ast);
    }
    // Most one-character edits of a clean recipe leave it clean: the reuse is the common path.
    expect(reused).toBeGreaterThan(EDITS / 4);
  });

  it("keeps the untouched items themselves and moves those after an edit that shifts them", () => {
    const source = 'recipe r "d"\n\n// first\nlet a = 1\n\nlet b = 2 // two\n\nlet c = [3]\nlet d = 4\nlet e = 5\n';
    const previous = { text: source, ast: parse(source, "r.recipe").ast };
    const same = reparse(previous, source.replace("c = [3]", "c = [7]"), "r.recipe")!;
    expect(same.ast.items[0]).toBe(previous.ast.items[0]);
    expect(same.ast.items[2]).not.toBe(previous.ast.items[2]);
    expect(same.ast.items[4]).toBe(previous.ast.items[4]);
    expect(same.ast).toEqual(parse(source.replace("c = [3]", "c = [7]"), "r.recipe").ast);
    const longer = reparse(previous, source.replace("b = 2", "b = 2 + 40\n"), "r.recipe")!;
    expect(longer.ast.header).toBe(previous.ast.header);
    expect(longer.ast.items[4]).not.toBe(previous.ast.items[4]);
    expect(longer.ast).toEqual(parse(source.replace("b = 2", "b = 2 + 40\n"), "r.recipe").ast);
  });

  it("falls back to the whole parse when the edit breaks the syntax", () => {
    const source = "let a = 1\nlet b = 2\n";
    const previous = { text: source, ast: parse(source, "r.recipe").ast };
    expect(reparse(previous, "let a = 1\nlet b = (2\n", "r.recipe")).toBeUndefined();
    expect(reparse(previous, 'let a = 1\nrecipe r "d"\nlet b = 2\n', "r.recipe")).toBeUndefined();
    const reparser = new Reparser();
    reparser.parse(source, "r.recipe");
    expect(reparser.parse("let a = 1\nlet b = (2\n", "r.recipe")).toEqual(parse("let a = 1\nlet b = (2\n", "r.recipe"));
  });

  it("follows a chain of edits, each from the last text that parsed clean", () => {
    const random = mulberry32(7);
    const reparser = new Reparser();
    for (const { file, source } of recipes.slice(0, 6)) {
      let text = source;
      for (let i = 0; i < 40; i++) {
        text = typeOne(text, random);
        const whole = parse(text, file);
        const result = reparser.parse(text, file);
        expect(result.diagnostics).toEqual(whole.diagnostics);
        expect(result.ast).toEqual(whole.ast);
      }
    }
  });
});

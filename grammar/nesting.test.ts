import { describe, expect, it } from "vitest";
import { format } from "./format.js";
import { NESTING_LIMIT } from "./nesting.js";
import { parse } from "./parse.js";

/** Each way to nest, `depth` levels deep, with the offset of the token that opens level `depth`. */
const NESTINGS: Record<string, (depth: number) => { source: string; deepest: number }> = {
  parentheses: (n) => ({ source: `let a = ${"(".repeat(n)}1${")".repeat(n)}`, deepest: 8 + n - 1 }),
  blocks: (n) => ({ source: `let a = ${"{ x = ".repeat(n)}1${" }".repeat(n)}`, deepest: 8 + (n - 1) * 6 }),
  lists: (n) => ({ source: `let a = ${"[".repeat(n)}1${"]".repeat(n)}`, deepest: 8 + n - 1 }),
  "unary minus": (n) => ({ source: `let a = ${"-".repeat(n)}1`, deepest: 8 + n - 1 }),
  "member access": (n) => ({ source: `let a = x${".y".repeat(n)}`, deepest: 9 + (n - 1) * 2 }),
  "type arguments": (n) => ({ source: `let a: ${"List<".repeat(n)}Int${">".repeat(n)} = 1`, deepest: 7 + (n - 1) * 5 + 4 }),
};

describe('the nesting limit (docs/language.md §9 "Nesting")', () => {
  for (const [name, nested] of Object.entries(NESTINGS)) {
    it(`parses ${name} ${NESTING_LIMIT} deep, and refuses one level more with E0005 at the token that opens it`, () => {
      const atLimit = nested(NESTING_LIMIT).source;
      expect(parse(atLimit, "t.recipe").diagnostics).toEqual([]);
      const { source, deepest } = nested(NESTING_LIMIT + 1);
      const { ast, diagnostics } = parse(source, "t.recipe");
      expect(diagnostics.map((d) => [d.code, d.message, d.span.start.offset])).toEqual([
        ["E0005", `expressions nested more than ${NESTING_LIMIT} levels deep`, deepest],
      ]);
      // Nothing after the front end sees the tree.
      expect(ast.items).toEqual([]);
    });
  }

  it("refuses the shapes that overflowed the stack before, whatever their size, with one diagnostic", () => {
    for (const source of [
      NESTINGS.parentheses!(200).source,
      NESTINGS.blocks!(150).source,
      NESTINGS["unary minus"]!(100_000).source,
      NESTINGS["member access"]!(50_000).source,
      `let a = f${"()".repeat(50_000)}`,
      `let a = x${" with {}".repeat(20_000)}`,
    ]) {
      expect(parse(source, "t.recipe").diagnostics.map((d) => d.code)).toEqual(["E0005"]);
    }
  });

  it("counts a unary minus or a suffix only until its operand ends, and a binary minus not at all", () => {
    const flat = [
      `let a = 1${" - -1".repeat(1000)}`,
      `let a = [${Array.from({ length: 1000 }, () => "-x.y(1)").join(", ")}]`,
      `let a = {${Array.from({ length: 1000 }, (_, i) => ` f${i} = -g.h { x = -1 }`).join("")} }`,
      `let a = x.y${" |> f.g(-1)".repeat(1000)}`,
    ];
    for (const source of flat) expect(parse(source, "t.recipe").diagnostics).toEqual([]);
  });

  it("reads a long flat chain as a chain, and formats it back unchanged", () => {
    for (const source of [
      `let a = ${Array(10_000).fill("1").join(" + ")}`,
      `let a = ${Array(10_000).fill("2").join(" * ")}`,
      `let a = rloo${" |> whiten".repeat(20_000)}`,
      `let a = ${Array(50_000).fill("s").join(" -> ")}`,
      // Too long for one line: the canonical layout has one item a line.
      `let a = [\n${"  1,\n".repeat(100_000)}]`,
    ]) {
      const { ast, diagnostics } = parse(source, "t.recipe");
      expect(diagnostics).toEqual([]);
      expect(format(ast, source)).toBe(`${source}\n`);
    }
  }, 240_000);
});

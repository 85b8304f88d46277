/** The sweep items and the sweep file header (docs/language.md §10): what they parse to, and `roux fmt`'s contract on them. */
import { describe, expect, it } from "vitest";
import { sameAst } from "./ast-equal.js";
import type * as A from "./ast.js";
import { format } from "./format.js";
import { parse } from "./parse.js";

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

function parsed(source: string): A.RecipeFile {
  const { ast, diagnostics } = parse(source, "input.recipe");
  expect(diagnostics).toEqual([]);
  return ast;
}

/** Formats, checks the output parses to the same AST and formats to itself, and returns it. */
function fmt(source: string): string {
  const ast = parsed(source);
  const formatted = format(ast, source);
  const again = parse(formatted, "formatted.recipe");
  expect(again.diagnostics, formatted).toEqual([]);
  expect(sameAst(again.ast, ast), formatted).toBe(true);
  expect(format(again.ast, formatted)).toBe(formatted);
  return formatted;
}

const path = (o: A.Override): string => o.path.map((p) => p.name).join(".");

describe("sweep syntax", () => {
  it("parses a recipe's grid: dotted paths, each value a list", () => {
    const ast = parsed(lines("recipe r", "sweep { run.seed = [17, 18], rl.optimizer.lr = [1e-4, 3e-4] }"));
    const sweep = ast.items[0] as A.SweepItem;
    expect(sweep.kind).toBe("sweep");
    expect(sweep.block.settings.map(path)).toEqual(["run.seed", "rl.optimizer.lr"]);
    expect(sweep.block.settings.map((s) => (s.value as A.ListExpr).items.map((i) => (i as A.NumberLit).text))).toEqual([
      ["17", "18"],
      ["1e-4", "3e-4"],
    ]);
  });

  it("parses a recipe's variants: named blocks of settings", () => {
    const ast = parsed(lines("variants {", "  base = {}", "  null = { rl.control = shuffled_advantages, run.seed = 3 }", "}"));
    const [base, control] = (ast.items[0] as A.VariantsItem).list.variants;
    expect(base?.name.name).toBe("base");
    expect(base?.settings?.settings).toEqual([]);
    expect(base?.recipe).toBeUndefined();
    expect(control?.settings?.settings.map(path)).toEqual(["rl.control", "run.seed"]);
  });

  it("parses a sweep file: its header and variants naming recipes, amended or not", () => {
    const ast = parsed(lines('sweep lab "seeds and controls"', 'variants { grpo = "./grpo.recipe", null = "./grpo.recipe" with { rl.control = x } }'));
    expect(ast.header?.keyword).toBe("sweep");
    expect(ast.header?.name.name).toBe("lab");
    const [grpo, control] = (ast.items[0] as A.VariantsItem).list.variants;
    expect([grpo?.recipe?.value, grpo?.settings]).toEqual(["./grpo.recipe", undefined]);
    expect([control?.recipe?.value, control?.settings?.settings.map(path)]).toEqual(["./grpo.recipe", ["rl.control"]]);
  });

  it("keeps `sweep` and `variants` usable as names and fields", () => {
    const ast = parsed(lines("recipe r", "let sweep = 1", "let variants = { sweep = 2 }"));
    expect(ast.header?.keyword).toBe("recipe");
    expect(ast.items.map((i) => i.kind)).toEqual(["let", "let"]);
  });

  it("reports a setting that is not PATH = value", () => {
    const { diagnostics } = parse(lines("sweep { run.seed [1, 2] }"), "input.recipe");
    expect(diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([["E0001", 1]]);
  });

  it("formats the sweep items, keeping their comments, inline or broken as written", () => {
    const source = lines(
      'recipe r "doc"',
      "sweep {   run.seed=[17,18],rl.optimizer.lr = [1e-4 , 3e-4] }",
      "",
      "variants {",
      "  base = {}",
      "  // the null control",
      "  null = {rl.control = shuffled_advantages}  // trailing",
      "}",
    );
    expect(fmt(source)).toBe(
      lines(
        'recipe r "doc"',
        "",
        "sweep { run.seed = [17, 18], rl.optimizer.lr = [1e-4, 3e-4] }",
        "",
        "variants {",
        "  base = {}",
        "  // the null control",
        "  null = { rl.control = shuffled_advantages }  // trailing",
        "}",
      ),
    );
  });

  it("formats a sweep file", () => {
    const source = lines(
      'sweep lab "the lab"',
      "",
      "variants {",
      '  grpo = "./grpo.recipe"',
      '  grpo_null = "./grpo.recipe"   with {',
      "    rl.control = shuffled_advantages // why",
      "  }",
      "}",
      "sweep { run.seed = [1, 2] }",
    );
    expect(fmt(source)).toBe(
      lines(
        'sweep lab "the lab"',
        "",
        "variants {",
        '  grpo = "./grpo.recipe"',
        '  grpo_null = "./grpo.recipe" with {',
        "    rl.control = shuffled_advantages  // why",
        "  }",
        "}",
        "sweep { run.seed = [1, 2] }",
      ),
    );
  });
});

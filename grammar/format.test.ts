import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { recipeFiles, REPO_ROOT } from "../test/recipes.js";
import type { RecipeFile } from "./ast.js";
import { stripLayout } from "./ast-equal.js";
import { format } from "./format.js";
import { lex } from "./lexer.js";
import { parse } from "./parse.js";

const GOLDEN = path.join(REPO_ROOT, "test/golden/fmt/flagship.recipe.formatted");
const FLAGSHIP = readFileSync(path.join(REPO_ROOT, "recipes/arith/flagship.recipe"), "utf8");

/** Comment texts as the formatter prints them (trailing whitespace dropped), in a stable order. */
function commentTexts(file: RecipeFile): string[] {
  return file.comments.map((c) => c.text.replace(/[ \t\r]+$/gm, "")).sort();
}

/**
 * Formats `source` and checks the formatter's contract on it: the output parses without errors
 * to the same AST up to spans, keeps every comment, and formats to itself.
 */
function fmt(source: string): string {
  const { ast, diagnostics } = parse(source, "input.recipe");
  expect(diagnostics).toEqual([]);
  const formatted = format(ast, source);
  const again = parse(formatted, "formatted.recipe");
  expect(again.diagnostics, formatted).toEqual([]);
  expect(stripLayout(again.ast)).toEqual(stripLayout(ast));
  expect(commentTexts(again.ast)).toEqual(commentTexts(ast));
  expect(format(again.ast, formatted)).toBe(formatted);
  return formatted;
}

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

describe("format: the recipes", () => {
  it("prints the flagship recipe as the golden file (UPDATE_GOLDEN=1 rewrites it)", () => {
    const formatted = fmt(FLAGSHIP);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, formatted);
    expect(existsSync(GOLDEN), `${GOLDEN} is missing (run with UPDATE_GOLDEN=1)`).toBe(true);
    expect(formatted).toBe(readFileSync(GOLDEN, "utf8"));
  });

  const recipes = recipeFiles();
  it("finds the recipes", () => expect(recipes.length).toBeGreaterThan(0));
  for (const { file, source } of recipes) {
    it(`round-trips ${file}`, () => {
      fmt(source);
    });
  }

  it("keeps its contract with a comment or a blank line at every token boundary of the flagship", () => {
    const boundaries = new Set(lex(FLAGSHIP, "flagship.recipe").tokens.flatMap((t) => [t.startOffset, t.startOffset + t.image.length]));
    let checked = 0;
    for (const offset of boundaries) {
      for (const insert of [" /* c */ ", " // c\n", "\n\n", " /* a\n   b */ "]) {
        const source = FLAGSHIP.slice(0, offset) + insert + FLAGSHIP.slice(offset);
        // A break between a number and its unit, or in a string, is not a recipe any more.
        if (parse(source, "input.recipe").diagnostics.length > 0) continue;
        fmt(source);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe("format: spacing and literals", () => {
  it("puts single spaces around operators, `=` and the reward colon; `..` and the let colon are tight", () => {
    expect(fmt("let   x:Int=1+2*3/(4-5)")).toBe(lines("let x: Int = 1 + 2 * 3 / (4 - 5)"));
    expect(fmt("let t:Map<String,List<Int>>=a")).toBe(lines("let t: Map<String, List<Int>> = a"));
    expect(fmt("reward r:outcome=a.b")).toBe(lines("reward r : outcome = a.b"));
    expect(fmt("let d = 2 .. 4\nlet s = a->b |>f(1)")).toBe(lines("let d = 2..4", "let s = a -> b |> f(1)"));
    expect(fmt("let n = - 1 - -x")).toBe(lines("let n = -1 - -x"));
  });

  it("prints calls, arguments and lists compactly", () => {
    expect(fmt("let x = f( a ,b=1, )")).toBe(lines("let x = f(a, b = 1)"));
    expect(fmt("let x = [ a,b, ]\nlet y = [ ]\nlet z = f( )")).toBe(lines("let x = [a, b]", "let y = []", "let z = f()"));
    expect(fmt("let x = a . b ( 1 ) { c = 2 } with{d=3}")).toBe(lines("let x = a.b(1) { c = 2 } with { d = 3 }"));
  });

  it("keeps literals and parentheses as written", () => {
    const source = lines(
      'recipe  r   "a \\"quoted\\" title"',
      'use "std/arith" sha256 "ab12" as arith',
      'let x = [1_000, 3e-4, 1.5e+3, 20%, 200   steps, r"\\d+", ((a)), true, false]',
    );
    expect(fmt(source)).toBe(
      lines(
        'recipe r "a \\"quoted\\" title"',
        "",
        'use "std/arith" sha256 "ab12" as arith',
        'let x = [1_000, 3e-4, 1.5e+3, 20%, 200 steps, r"\\d+", ((a)), true, false]',
      ),
    );
  });

  it("leaves the inner lines of a multi-line string untouched, trailing spaces included", () => {
    const source = lines("stage s = sft {", '    prompt = """', "no indent   ", '      deep"""', "}");
    expect(fmt(source)).toBe(lines("stage s = sft {", '  prompt = """', "no indent   ", '      deep"""', "}"));
  });

  it("ends the file with exactly one newline and prints nothing for an empty file", () => {
    expect(fmt("let x = 1\n\n\n")).toBe("let x = 1\n");
    expect(fmt("let x = 1")).toBe("let x = 1\n");
    expect(fmt("")).toBe("");
    expect(fmt(" \n\n")).toBe("");
  });
});

describe("format: blank lines", () => {
  it("keeps one blank line between items where the source had any, none where it had none", () => {
    expect(fmt("let a = 1\n\n\n\nlet b = 2\nlet c = 3\n \t\nlet d = 4")).toBe(lines("let a = 1", "", "let b = 2", "let c = 3", "", "let d = 4"));
  });

  it("always puts a blank line after the header", () => {
    expect(fmt('recipe r "t"\nlet a = 1')).toBe(lines('recipe r "t"', "", "let a = 1"));
    expect(fmt("recipe r\n// about a\nlet a = 1")).toBe(lines("recipe r", "", "// about a", "let a = 1"));
  });

  it("counts the gap from the previous item's trailing comment to this item's first comment", () => {
    const source = lines("let a = 1 // a", "", "// section", "", "// about b", "let b = 2", "// about c", "", "let c = 3");
    expect(fmt(source)).toBe(lines("let a = 1  // a", "", "// section", "", "// about b", "let b = 2", "// about c", "", "let c = 3"));
  });

  it("keeps blank lines between fields but none at the start or end of a block", () => {
    const source = lines("stage s = sft {", "", "  a = 1", "", "", "  b = 2", "  c = 3", "", "}");
    expect(fmt(source)).toBe(lines("stage s = sft {", "  a = 1", "", "  b = 2", "  c = 3", "}"));
  });
});

describe("format: inline or one entry per line", () => {
  it("keeps a block inline when the source had it on one line", () => {
    expect(fmt("data d = f { a = 1 , b = [1,2] }")).toBe(lines("data d = f { a = 1, b = [1, 2] }"));
    expect(fmt("run { stages = a -> b }")).toBe(lines("run { stages = a -> b }"));
  });

  it("keeps a block on several lines when the source had it so, however short, without commas", () => {
    expect(fmt("data d = f { a = 1,\n b = 2 }")).toBe(lines("data d = f {", "  a = 1", "  b = 2", "}"));
    expect(fmt("data d = f {\n}")).toBe(lines("data d = f {}"));
  });

  it("breaks arguments and lists one per line with a trailing comma when the source did", () => {
    expect(fmt("let x = f(a,\n  b = [1,\n 2])")).toBe(lines("let x = f(", "  a,", "  b = [", "    1,", "    2,", "  ],", ")"));
  });

  it("decides each nested container on its own", () => {
    const source = lines("stage s = sft {", "  loss = ppo { clip = 0.2, kl = k3(0.001, ref = w) }", "  data = d }");
    expect(fmt(source)).toBe(lines("stage s = sft {", "  loss = ppo { clip = 0.2, kl = k3(0.001, ref = w) }", "  data = d", "}"));
  });
});

describe("format: long lines", () => {
  /** `data x = f { a = "sss" }`, exactly `width` characters long. */
  const blockOfWidth = (width: number): string => `data x = f { a = "${"s".repeat(width - 21)}" }`;

  it("keeps an inline block of 100 columns and breaks one of 101", () => {
    expect(fmt(blockOfWidth(100))).toBe(lines(blockOfWidth(100)));
    expect(fmt(blockOfWidth(101))).toBe(lines("data x = f {", `  a = "${"s".repeat(80)}"`, "}"));
  });

  it("breaks the outermost container first, and measures inner ones at their new indentation", () => {
    const inner = "adam { lr = 3e-4, betas = [0.9, 0.999], weight_decay = 0.01, eps = 1e-8 }";
    expect(fmt(`stage s = sft { data = demos, epochs = 2 epochs, optimizer = ${inner} }`)).toBe(
      lines("stage s = sft {", "  data = demos", "  epochs = 2 epochs", `  optimizer = ${inner}`, "}"),
    );
  });

  it("breaks a long argument list with a trailing comma", () => {
    const args = ["alpha_parameter", "beta_parameter", "gamma_parameter", "delta_parameter", "epsilon = 12345"];
    expect(fmt(`let schedule = warmup_cosine(${args.join(", ")})`)).toBe(lines("let schedule = warmup_cosine(", ...args.map((a) => `  ${a},`), ")"));
  });

  it("counts what follows a container on its line, but not a trailing comment", () => {
    const list = `[${"x".repeat(80)}]`;
    expect(fmt(`let a = f(${list}) + 1234567`)).toBe(lines("let a = f(", `  ${list},`, ") + 1234567"));
    expect(fmt(`let a = ${list}  // ${"c".repeat(40)}`)).toBe(lines(`let a = ${list}  // ${"c".repeat(40)}`));
  });
});

describe("format: comments", () => {
  it("keeps leading comments before their entry, at its indentation", () => {
    const source = lines("  // about a", "let a = 1", "stage s = sft {", "// about x", "      /* and */", "  x = 1", "}");
    expect(fmt(source)).toBe(lines("// about a", "let a = 1", "stage s = sft {", "  // about x", "  /* and */", "  x = 1", "}"));
  });

  it("keeps trailing comments at the end of their line, two spaces after the entry and its comma", () => {
    const source = lines("recipe r // header", "let a = 1    /* b */ // a", "let x = f(", "  a, // first", "  b /* second */", ")");
    expect(fmt(source)).toBe(lines("recipe r  // header", "", "let a = 1  /* b */  // a", "let x = f(", "  a,  // first", "  b,  /* second */", ")"));
  });

  it("breaks an inline container that holds a comment", () => {
    expect(fmt("data d = f { a = 1 /* one */, b = 2 }")).toBe(lines("data d = f {", "  a = 1  /* one */", "  b = 2", "}"));
    expect(fmt("let x = [1, /* two */ 2]")).toBe(lines("let x = [", "  1,  /* two */", "  2,", "]"));
    expect(fmt("let x = [1,\n/* two */ 2]")).toBe(lines("let x = [", "  1,", "  /* two */", "  2,", "]"));
  });

  it("keeps a comment on the line of an opening delimiter there", () => {
    expect(fmt("stage s = sft { // the stage\n  a = 1\n}")).toBe(lines("stage s = sft {  // the stage", "  a = 1", "}"));
    expect(fmt("let x = f( // nothing yet\n)")).toBe(lines("let x = f(  // nothing yet", ")"));
  });

  it("keeps comments at the end of a block inside it, and at the end of the file at the end", () => {
    const source = lines("stage s = sft {", "  a = 1", "", "  // end of s", "}", "let e = {", "/* empty */ }", "// end", "", "/* of file */");
    expect(fmt(source)).toBe(lines("stage s = sft {", "  a = 1", "", "  // end of s", "}", "let e = {", "  /* empty */", "}", "// end", "", "/* of file */"));
    expect(fmt("// only a comment")).toBe(lines("// only a comment"));
  });

  it("moves a comment inside an expression before its item, field or argument, text unchanged", () => {
    expect(fmt("let a = 1 + /* x */ 2")).toBe(lines("/* x */", "let a = 1 + 2"));
    expect(fmt("stage s = sft {\n  mu = 0.9 -> // to\n    0.05\n}")).toBe(lines("stage s = sft {", "  // to", "  mu = 0.9 -> 0.05", "}"));
    expect(fmt("let a = f(g /* y */ (1), 2)")).toBe(lines("let a = f(", "  /* y */", "  g(1),", "  2,", ")"));
    expect(fmt("reward /* k */ r : outcome = a")).toBe(lines("/* k */", "reward r : outcome = a"));
  });

  it("puts moved comments after the leading ones, and a blank line before both", () => {
    const source = lines("let a = 1", "", "// lead", "let b = a /* moved */ + 1");
    expect(fmt(source)).toBe(lines("let a = 1", "", "// lead", "/* moved */", "let b = a + 1"));
    expect(fmt("let a = 1\n\nlet b = a /* moved */ + 1")).toBe(lines("let a = 1", "", "/* moved */", "let b = a + 1"));
  });

  it("keeps multi-line block comments verbatim after their first line", () => {
    const source = lines("stage s = sft {", "/* first", "      second", "   */", "  a = 1 /* trailing", " too */", "}");
    expect(fmt(source)).toBe(lines("stage s = sft {", "  /* first", "      second", "   */", "  a = 1  /* trailing", " too */", "}"));
  });

  it("drops trailing whitespace inside comments and nothing else", () => {
    expect(fmt("// spaces   \nlet a = 1 /* x  \n y */\t")).toBe(lines("// spaces", "let a = 1  /* x", " y */"));
  });
});

describe("format: refuses", () => {
  it("throws on a file with syntax errors (the CLI never formats one)", () => {
    const { ast } = parse("let a = ", "broken.recipe");
    expect(() => format(ast, "let a = ")).toThrow(/syntax errors/);
  });
});

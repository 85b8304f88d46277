import { describe, expect, it } from "vitest";
import { sameAst, stripLayout } from "./ast-equal.js";
import { parse } from "./parse.js";

const ast = (source: string) => parse(source, "t.recipe").ast;

describe("sameAst", () => {
  it("ignores layout and comments", () => {
    expect(sameAst(ast("let a = f(1, b = 2) // c"), ast("/* x */\nlet   a=f(\n  1,\n  b = 2,\n)"))).toBe(true);
  });

  it("sees literal texts, parentheses, units and structure", () => {
    const base = ast("let a = (1_000 + 2) * 3 steps");
    expect(sameAst(base, ast("let a = (1000 + 2) * 3 steps"))).toBe(false);
    expect(sameAst(base, ast("let a = 1_000 + 2 * 3 steps"))).toBe(false);
    expect(sameAst(base, ast("let a = (1_000 + 2) * 3 step"))).toBe(false);
    expect(sameAst(base, ast("let b = (1_000 + 2) * 3 steps"))).toBe(false);
  });

  it("strips every span and the comment list", () => {
    const text = JSON.stringify(stripLayout(ast("recipe r\nreward x : outcome = a // c")));
    expect(text).not.toContain("span");
    expect(text).not.toContain("comments");
  });
});

import { describe, expect, it } from "vitest";
import { evaluate, type Expr, formatExpr, formatPrompt, operands, operatorCount, parseExpr, solutionSteps, solutionText } from "./arith-expr.js";

const n = (value: number): Expr => ({ kind: "num", value });
const op = (o: "+" | "-" | "*" | "/", left: Expr, right: Expr): Expr => ({ kind: "op", op: o, left, right });

// ((7+5)*3)-4, the example of the task's docs.
const example = op("-", op("*", op("+", n(7), n(5)), n(3)), n(4));

describe("arith expressions", () => {
  it("writes problems fully parenthesised, the outermost operation bare", () => {
    expect(formatExpr(example)).toBe("((7+5)*3)-4");
    expect(formatExpr(op("*", op("+", n(7), n(5)), op("-", n(9), n(3))))).toBe("(7+5)*(9-3)");
    expect(formatPrompt(example)).toBe("((7+5)*3)-4\n");
  });

  it("writes the expert solution innermost first, left to right", () => {
    expect(solutionText(example)).toBe("7+5=12\n12*3=36\n36-4=32\nanswer: 32");
    // Both inner groups are ready at the start: the left one goes first.
    expect(solutionText(op("*", op("+", n(1), n(2)), op("*", op("+", n(3), n(4)), n(5))))).toBe("1+2=3\n3+4=7\n7*5=35\n3*35=105\nanswer: 105");
    expect(solutionSteps(example)).toHaveLength(3);
  });

  it("evaluates exactly, refusing negatives and inexact division", () => {
    expect(evaluate(example)).toBe(32n);
    expect(evaluate(op("-", n(3), n(7)))).toBeUndefined();
    expect(evaluate(op("/", n(7), n(2)))).toBeUndefined();
    expect(evaluate(op("/", n(7), n(0)))).toBeUndefined();
    expect(evaluate(op("/", n(8), n(2)))).toBe(4n);
  });

  it("counts operators and lists operands", () => {
    expect(operatorCount(example)).toBe(3);
    expect(operands(example)).toEqual([7, 5, 3, 4]);
  });

  it("reads back what it writes, and nothing else", () => {
    expect(parseExpr("((7+5)*3)-4\n")).toEqual(example);
    expect(parseExpr("  (7+5)*(9-3) ")).toEqual(op("*", op("+", n(7), n(5)), op("-", n(9), n(3))));
    expect(parseExpr("7")).toEqual(n(7));
    for (const bad of ["", "7+5*3", "(7+5)", "((7))+1", "7+", "(7+5", "7+5)", "a+b", "7 + 5", "-3+4"]) {
      expect(parseExpr(bad), bad).toBeUndefined();
    }
  });
});

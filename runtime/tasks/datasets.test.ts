import { describe, expect, it } from "vitest";
import { createTokenizer } from "../tokenizer.js";
import { evaluate, operands, operatorCount, parseExpr } from "./arith-expr.js";
import { generateProblems, MAX_VALUE } from "./arith-generate.js";
import { taskExamples } from "./datasets.js";

// recipes/std/arith.recipe's tokenizer.
const tokenizer = createTokenizer({ kind: "chars", alphabet: "0123456789+-*/()= \nanswer:" });

describe("taskExamples: arith", () => {
  it("makes problems with answers, and solutions with responses too", () => {
    const problems = taskExamples("arith", "problems", { count: 5, seed: 7 });
    const solutions = taskExamples("arith", "solutions", { count: 5, seed: 7 });
    expect(problems).toHaveLength(5);
    problems.forEach((p, i) => {
      expect(p.response).toBeNull();
      expect(p.prompt).toMatch(/^[0-9+\-*/()]+\n$/);
      expect(p.answer).toBe(String(evaluate(parseExpr(p.prompt)!)));
      // Same problems; the solution's last line says the answer.
      const solution = solutions[i];
      expect(solution?.prompt).toBe(p.prompt);
      expect(solution?.answer).toBe(p.answer);
      expect(solution?.response?.split("\n").at(-1)).toBe(`answer: ${p.answer}`);
      expect(solution?.response?.endsWith("\n")).toBe(false);
    });
  });

  it("is the same for the same count, depth and seed, and a prefix for a smaller count", () => {
    const args = { count: 50, depth: { lo: 1, hi: 5 }, seed: 12345 };
    const a = taskExamples("arith", "solutions", args);
    expect(taskExamples("arith", "solutions", args)).toEqual(a);
    expect(taskExamples("arith", "solutions", { ...args, count: 20 })).toEqual(a.slice(0, 20));
    expect(taskExamples("arith", "solutions", { ...args, seed: 12346 })).not.toEqual(a);
    // Pinned, so that a change to the generator (which changes every dataset) is seen.
    expect(taskExamples("arith", "problems", { count: 3, seed: 1 }).map((e) => e.prompt)).toEqual(["((3*6)*4)-5\n", "4+((4/1)-2)\n", "6*(3-2)\n"]);
  });

  it("defaults depth to 2..4 and seed to 0", () => {
    expect(taskExamples("arith", "problems", { count: 10 })).toEqual(taskExamples("arith", "problems", { count: 10, depth: { lo: 2, hi: 4 }, seed: 0 }));
  });

  it("respects the depth range, drawing every depth in it", () => {
    for (const depth of [
      { lo: 1, hi: 1 },
      { lo: 2, hi: 4 },
      { lo: 3, hi: 7 },
    ]) {
      const seen = new Set<number>();
      for (const e of taskExamples("arith", "solutions", { count: 300, depth, seed: 3 })) {
        const ops = operatorCount(parseExpr(e.prompt)!);
        expect(ops).toBeGreaterThanOrEqual(depth.lo);
        expect(ops).toBeLessThanOrEqual(depth.hi);
        // One line per operator, then the answer.
        expect(e.response!.split("\n")).toHaveLength(ops + 1);
        seen.add(ops);
      }
      expect(seen.size).toBe(depth.hi - depth.lo + 1);
    }
  });

  it("keeps operands 1..9, every value a whole number from 0 to MAX_VALUE, and uses every operator", () => {
    const used = new Set<string>();
    for (const { expr, value } of generateProblems(500, { lo: 1, hi: 8 }, 99)) {
      expect(evaluate(expr)).toBe(BigInt(value));
      for (const x of operands(expr)) expect(x >= 1 && x <= 9).toBe(true);
      const walk = (e: typeof expr): void => {
        if (e.kind === "num") return;
        used.add(e.op);
        const v = evaluate(e)!;
        expect(v >= 0n && v <= BigInt(MAX_VALUE)).toBe(true);
        walk(e.left);
        walk(e.right);
      };
      walk(expr);
    }
    expect([...used].sort()).toEqual(["*", "+", "-", "/"]);
  });

  it("writes only what the arith tokenizer encodes", () => {
    for (const e of taskExamples("arith", "solutions", { count: 300, depth: { lo: 1, hi: 8 }, seed: 5 })) {
      for (const text of [e.prompt, e.response!, e.answer!]) expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    }
  });

  it("refuses unknown members and bad arguments with a clear message", () => {
    expect(() => taskExamples("algebra", "problems", { count: 1 })).toThrow("unknown standard task `algebra`; the tasks with generators are `arith`");
    expect(() => taskExamples("arith", "proofs", { count: 1 })).toThrow("`arith` has no generator `proofs`; its generators are `problems`, `solutions`");
    expect(() => taskExamples("arith", "problems", {})).toThrow("arith.problems needs `count`");
    expect(() => taskExamples("arith", "problems", { count: 0 })).toThrow("`count` should be an integer from 1");
    expect(() => taskExamples("arith", "problems", { count: 2.5 })).toThrow("`count` should be an integer");
    expect(() => taskExamples("arith", "problems", { count: "3" })).toThrow("`count` should be an integer");
    expect(() => taskExamples("arith", "problems", { count: 1, seed: 0.5 })).toThrow("`seed` should be an integer");
    expect(() => taskExamples("arith", "problems", { count: 1, depth: 3 })).toThrow("`depth` should be a range");
    expect(() => taskExamples("arith", "problems", { count: 1, depth: { lo: 4, hi: 2 } })).toThrow("`depth` should be a range");
    expect(() => taskExamples("arith", "problems", { count: 1, depth: { lo: 0, hi: 2 } })).toThrow("`depth` should be a range");
    expect(() => taskExamples("arith", "problems", { count: 1, depth: { lo: 1, hi: 1000 } })).toThrow("`depth` should be a range");
    expect(() => taskExamples("arith", "problems", { count: 1, size: 3 })).toThrow("arith.problems has no argument `size`");
    expect(() => taskExamples("constructor", "problems", { count: 1 })).toThrow("unknown standard task");
  });
});

import { describe, expect, it } from "vitest";
import { parseExpr } from "./arith-expr.js";
import { answerMatch, finalAnswer, stepCheck } from "./arith-verify.js";

const problem = parseExpr("((7+5)*3)-4")!;
const check = (response: string) => stepCheck(problem, response === "" ? [] : response.split("\n"));

describe("answer_match", () => {
  it("compares the last whole `answer: N` line as an integer", () => {
    expect(answerMatch("7+5=12\n12*3=36\n36-4=32\nanswer: 32", 32n)).toBe(1);
    expect(answerMatch("answer: 032", 32n)).toBe(1);
    expect(answerMatch(" answer:32 ", 32n)).toBe(1);
    expect(answerMatch("answer: 31", 32n)).toBe(0);
    // The last one decides, either way.
    expect(answerMatch("answer: 31\nanswer: 32", 32n)).toBe(1);
    expect(answerMatch("answer: 32\nanswer: 31", 32n)).toBe(0);
  });

  it("is 0 without an answer line", () => {
    expect(answerMatch("", 32n)).toBe(0);
    expect(answerMatch("36-4=32", 32n)).toBe(0);
    expect(answerMatch("36-4=32 answer: 32", 32n)).toBe(0);
    expect(answerMatch("answer: -32", 32n)).toBe(0);
    expect(answerMatch("answer: 3 2", 32n)).toBe(0);
    expect(finalAnswer("answer:")).toBeUndefined();
  });
});

describe("step_check", () => {
  it("scores the expert solution all 1", () => {
    expect(check("7+5=12\n12*3=36\n36-4=32\nanswer: 32")).toEqual([1, 1, 1, 1]);
  });

  it("scores an empty response with no values", () => {
    expect(check("")).toEqual([]);
  });

  it("scores a wrong result 0, and what builds on it 0", () => {
    expect(check("7+5=13\n13*3=39\n39-4=35\nanswer: 35")).toEqual([0, 0, 0, 0]);
    // A wrong step uses nothing up: the right one after it still counts.
    expect(check("7+5=13\n7+5=12\n12*3=36\n36-4=32\nanswer: 32")).toEqual([0, 1, 1, 1, 1]);
  });

  it("accepts any right step on available operands, in any order", () => {
    // Reusing earlier results is what steps are for; the order of the groups is free.
    expect(check("5+7=12\n3*12=36\n36-4=32\nanswer: 32")).toEqual([1, 1, 1, 1]);
    // Not the problem's structure, but right arithmetic on its numbers; the 4 is never used,
    // so the answer, though it is 32, was not worked out from the problem.
    expect(check("7*5=35\n35-3=32\nanswer: 32")).toEqual([1, 1, 0]);
  });

  it("scores invented operands 0", () => {
    expect(check("8+4=12\n12*3=36")).toEqual([0, 0]);
    expect(check("7+5=12\n12*6=72")).toEqual([1, 0]);
  });

  it("lets each number be used as often as it occurs", () => {
    // 7 and 5 are used up by the first step; repeating it earns nothing.
    expect(check("7+5=12\n7+5=12\n12*3=36")).toEqual([1, 0, 1]);
    // One 3 in the problem: 3*3 needs two.
    expect(check("3*3=9")).toEqual([0]);
    expect(stepCheck(parseExpr("(3+3)*2")!, ["3*3=9"])).toEqual([1]);
    // A result used up by a later step is gone.
    expect(check("7+5=12\n12*3=36\n12-4=8")).toEqual([1, 1, 0]);
  });

  it("checks division and subtraction exactly", () => {
    const p = parseExpr("(8/2)-(9-7)")!;
    expect(stepCheck(p, ["8/2=4", "9-7=2", "4-2=2", "answer: 2"])).toEqual([1, 1, 1, 1]);
    expect(stepCheck(p, ["8/7=1"])).toEqual([0]);
    expect(stepCheck(p, ["7-9=-2"])).toEqual([0]);
    expect(stepCheck(parseExpr("(7/1)+0")!, ["7/0=0"])).toEqual([0]);
  });

  it("scores malformed lines 0", () => {
    expect(check("\n7+5=12\n\nhello\n7+5\n=12\n7+5=12=12\n(7+5)=12\n7+5 = 12x")).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(check("12*3 = 36")).toEqual([0]);
    expect(check(" 7 + 5 = 12 ")).toEqual([1]);
  });

  it("scores the answer line 1 only when last, right and worked out", () => {
    expect(check("answer: 32")).toEqual([0]);
    expect(check("7+5=12\n12*3=36\nanswer: 32")).toEqual([1, 1, 0]);
    expect(stepCheck(parseExpr("7")!, ["answer: 7"])).toEqual([1]);
    expect(check("7+5=12\n12*3=36\n36-4=32\nanswer: 31")).toEqual([1, 1, 1, 0]);
    expect(check("7+5=12\n12*3=36\n36-4=32\nanswer: 32\nanswer: 32")).toEqual([1, 1, 1, 0, 1]);
    expect(check("7+5=12\n12*3=36\n36-4=32\nanswer: 32\n7+5=12")).toEqual([1, 1, 1, 0, 0]);
  });
});

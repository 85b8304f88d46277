import { describe, expect, it } from "vitest";
import { pythonLiteral } from "./python-literal.js";

describe("a Python literal as JSON", () => {
  it("reads numbers, strings, constants and containers", () => {
    expect(pythonLiteral("1e-6")).toBe(1e-6);
    expect(pythonLiteral("-0.5")).toBe(-0.5);
    expect(pythonLiteral("1_000")).toBe(1000);
    expect(pythonLiteral(`"a" 'b'`)).toBe("ab");
    expect(pythonLiteral(`r"\\d+"`)).toBe("\\d+");
    expect(pythonLiteral("None")).toBeNull();
    expect(pythonLiteral("[True, False]")).toEqual([true, false]);
    expect(pythonLiteral("(0.9, 0.999)")).toEqual([0.9, 0.999]);
    expect(pythonLiteral("(1,)")).toEqual([1]);
    expect(pythonLiteral("([1])")).toEqual([1]);
    expect(pythonLiteral('{"a": {"b": [1, 2,]},}')).toEqual({ a: { b: [1, 2] } });
  });

  it("asks the caller for names, and answers undefined for what is no literal", () => {
    expect(pythonLiteral("Kind.FILE.value", (n) => (n === "Kind.FILE.value" ? "file" : undefined))).toBe("file");
    expect(pythonLiteral("Kind.FILE")).toBeUndefined();
    expect(pythonLiteral("f(1)")).toBeUndefined();
    expect(pythonLiteral("1 + 2")).toBeUndefined();
    expect(pythonLiteral('{"a": f(1)}')).toBeUndefined();
    expect(pythonLiteral('f"x{y}"')).toBeUndefined();
  });
});

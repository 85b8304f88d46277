import { describe, expect, it } from "vitest";
import { parseNumber } from "./numbers.js";

describe("parseNumber", () => {
  it("reads the numbers people write", () => {
    const cases: [string, number][] = [
      ["42", 42],
      ["-3", -3],
      ["+3", 3],
      ["2.50", 2.5],
      [".5", 0.5],
      ["5.", 5],
      ["1,234", 1234],
      ["-12,345,678.25", -12345678.25],
      ["1e3", 1000],
      ["2.5E-2", 0.025],
      ["3/4", 0.75],
      ["-3/4", -0.75],
      ["3 / 4", 0.75],
      ["  7\n", 7],
      ["007", 7],
    ];
    for (const [text, value] of cases) expect(parseNumber(text), JSON.stringify(text)).toBe(value);
  });

  it("refuses what is not a number", () => {
    for (const text of [
      "",
      " ",
      "-",
      ".",
      "e3",
      "1,23",
      "1,2345",
      "12,34,567",
      "1.2.3",
      "3/0",
      "3/4/5",
      "1/2.5",
      "Infinity",
      "NaN",
      "0x10",
      "$5",
      "5%",
      "five",
      "1e999",
      "- 3",
    ]) {
      expect(parseNumber(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});

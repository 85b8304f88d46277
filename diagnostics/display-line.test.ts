import { describe, expect, it } from "vitest";
import { layoutLine } from "./display-line.js";

describe("layoutLine", () => {
  it("leaves plain ASCII alone, one cell per character", () => {
    const line = layoutLine("let a = 1");
    expect(line.text).toBe("let a = 1");
    expect(line.column(4)).toBe(4);
    expect(line.column(9)).toBe(9);
  });

  it("expands tabs to the next stop of 4 and maps the columns after them", () => {
    const line = layoutLine("\ta\tbc");
    expect(line.text).toBe("    a   bc");
    expect(line.column(1)).toBe(4); // a
    expect(line.column(3)).toBe(8); // b
  });

  it("counts CJK characters and emoji as two cells and combining marks as none", () => {
    const line = layoutLine('"数学" = 😀e\u0301!');
    expect(line.column(3)).toBe(5); // the closing quote
    expect(line.column(7)).toBe(9); // the emoji (two UTF-16 units, two cells)
    expect(line.column(9)).toBe(11); // e
    expect(line.column(11)).toBe(12); // ! after the combining acute accent
  });

  it("shows control characters as their Unicode control pictures", () => {
    expect(layoutLine("a\x1b[0m\x7f").text).toBe("a\u241b[0m\u2421");
  });

  it("clamps indices outside the line to its ends", () => {
    const line = layoutLine("\tab");
    expect(line.column(-3)).toBe(0);
    expect(line.column(99)).toBe(6);
  });
});

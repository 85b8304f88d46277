import { describe, expect, it } from "vitest";
import { clipLine, MAX_LINE } from "./clip-line.js";

describe("clipLine", () => {
  it("leaves a line of up to MAX_LINE units whole", () => {
    const line = "x".repeat(MAX_LINE);
    const clipped = clipLine(line, 100);
    expect(clipped.text).toBe(line);
    expect(clipped.index(100)).toBe(100);
  });

  it("cuts a long line to a window around the span, marking both cuts", () => {
    const line = `${"a".repeat(5000)}@${"b".repeat(5000)}`;
    const clipped = clipLine(line, 5000);
    expect(clipped.text).toMatch(/^\.\.\.a+@b+\.\.\.$/);
    expect(clipped.text.length).toBe(MAX_LINE + 6);
    expect(clipped.text[clipped.index(5000)]).toBe("@");
    // Indices outside the window land on its edges.
    expect(clipped.index(0)).toBe(3);
    expect(clipped.index(line.length)).toBe(MAX_LINE + 3);
  });

  it("shows the end of the line when the span is near it", () => {
    const line = `${"a".repeat(5000)}@`;
    const clipped = clipLine(line, 5000);
    expect(clipped.text).toBe(`...${line.slice(-MAX_LINE)}`);
    expect(clipped.text[clipped.index(5000)]).toBe("@");
  });

  it("never cuts a character made of two UTF-16 units in half", () => {
    const line = "😀".repeat(5000);
    for (const first of [2000, 2001, 2002]) {
      const { text } = clipLine(line, first);
      expect(text).toMatch(/^\.\.\.(😀)+\.\.\.$/u);
    }
  });
});

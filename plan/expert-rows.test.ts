import { describe, expect, it } from "vitest";
import { chordExpertRows, expertRowCount } from "./expert-rows.js";

describe("expertRowCount", () => {
  it("is ceil(ratio * batch), robust to the product's rounding", () => {
    // 0.2 * 16 = 3.2 -> 4; 0.1 * 30 = 3.0000000000000004 in floating point -> 3
    expect(expertRowCount(0.2, 16)).toBe(4);
    expect(expertRowCount(0.1, 30)).toBe(3);
    expect(expertRowCount(0.5, 16)).toBe(8);
    expect(expertRowCount(0, 16)).toBe(0);
    expect(expertRowCount(1, 16)).toBe(16);
  });

  it("rejects a ratio outside [0, 1]", () => {
    expect(() => expertRowCount(1.5, 16)).toThrow(/ratio must be in \[0, 1\]/);
  });
});

describe("chordExpertRows", () => {
  it("leaves at least one prompt slot to sample", () => {
    expect(chordExpertRows(1, 16)).toBe(15);
    expect(chordExpertRows(0.25, 32)).toBe(8);
  });
});

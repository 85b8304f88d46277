import { describe, expect, it } from "vitest";
import { chart, sparkline } from "./sparkline.js";

describe("sparkline", () => {
  it("scales from the lowest to the highest value shown", () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe("▁▂▃▄▅▆▇█");
    expect(sparkline([10, 30, 20], 3)).toBe("▁█▅");
  });

  it("shows the last values that fit, scaled among themselves", () => {
    expect(sparkline([100, 0, 1], 2)).toBe("▁█");
  });

  it("draws a flat curve midway, and nothing for no values", () => {
    expect(sparkline([0.5, 0.5, 0.5], 3)).toBe("▄▄▄");
    expect(sparkline([], 5)).toBe("");
  });
});

describe("chart", () => {
  it("fills each column from the bottom to its value's height", () => {
    expect(chart([0, 1], 2, 2)).toEqual([" █", "▁█"]);
    expect(chart([0, 0.5, 1], 3, 1)).toEqual(["▁▅█"]);
  });

  it("has as many rows as asked and one column per value shown", () => {
    const rows = chart([3, 1, 4, 1, 5, 9, 2, 6], 5, 4);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect([...row]).toHaveLength(5);
  });
});

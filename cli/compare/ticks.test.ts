import { describe, expect, it } from "vitest";
import { niceScale } from "./ticks.js";

describe("niceScale", () => {
  it("widens the extent to round steps of 1, 2 or 5 times a power of ten", () => {
    expect(niceScale(0, 190)).toMatchObject({ lo: 0, hi: 200, labels: ["0", "50", "100", "150", "200"] });
    const accuracy = niceScale(0.16, 0.66);
    expect(accuracy.labels).toEqual(["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"]);
    expect([accuracy.lo, accuracy.hi]).toEqual([expect.closeTo(0.1, 12), expect.closeTo(0.7, 12)]);
    expect(niceScale(-0.03, 0.02).labels).toEqual(["-0.03", "-0.02", "-0.01", "0.00", "0.01", "0.02"]);
  });

  it("gives a flat curve an axis around its value, and one at 0 an axis above it", () => {
    expect(niceScale(3, 3).labels).toEqual(["2.6", "2.8", "3.0", "3.2", "3.4"]);
    expect(niceScale(0, 0).labels).toEqual(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
  });
});

import { describe, expect, it } from "vitest";
import { formatPaired, paired, shown } from "./paired.js";

describe("paired differences", () => {
  it("is the mean of the differences with the standard error of that mean", () => {
    // Differences 1, 2, 3: mean 2, sample variance 1, SE sqrt(1 / 3).
    const p = paired([0.01, 0.02, 0.03]);
    expect(p.mean).toBeCloseTo(0.02, 12);
    expect(p.se).toBeCloseTo(0.01 / Math.sqrt(3), 12);
    expect(p.n).toBe(3);
  });

  it("claims a difference only beyond 2 standard errors", () => {
    expect(shown(paired([0.05, 0.06, 0.07]))).toBe(true);
    expect(shown(paired([0.05, -0.04, 0.02]))).toBe(false);
    expect(formatPaired(paired([0.05, 0.06, 0.07]))).toBe("+6.0 ± 0.6 shown");
    expect(formatPaired(paired([-0.05, 0.04, -0.02]))).toBe("-1.0 ± 2.6 not shown");
  });

  it("has no standard error from one pair, and nothing to say from none", () => {
    expect(Number.isNaN(paired([0.1]).se)).toBe(true);
    expect(shown(paired([0.1]))).toBe(false);
    expect(formatPaired(paired([0.1]))).toBe("+10.0 (one seed)");
    expect(formatPaired(paired([]))).toBe("—");
  });
});

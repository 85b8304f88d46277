import { describe, expect, it } from "vitest";
import { mulberry32 } from "./rng.js";

describe("mulberry32", () => {
  it("repeats a sequence from its seed and differs between seeds", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
  });

  it("draws from [0, 1) with a uniform mean and spread", () => {
    const rng = mulberry32(1);
    const n = 20000;
    let sum = 0;
    let squares = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = rng();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
      squares += x * x;
    }
    expect(outside).toBe(0);
    // uniform: mean 1/2, variance 1/12
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(squares / n - (sum / n) ** 2 - 1 / 12)).toBeLessThan(0.005);
  });
});

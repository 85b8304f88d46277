import { describe, expect, it } from "vitest";
import { cosineSchedule, linearSchedule, scheduleAt, warmupCosine } from "./schedule.js";

describe("warmupCosine (CHORD's mu)", () => {
  it("warms up from 0, decays along a half cosine, then holds the valley", () => {
    // peak 0.9, valley 0.05, W 10, D 20
    // s 0: 0; s 5: 0.45; s 10: peak; s 20: 0.05 + 0.85 (1 + cos(pi / 2)) / 2 = 0.475; s >= 30: valley
    const mu = (s: number) => warmupCosine(0.9, 0.05, 10, 20, s);
    expect(mu(0)).toBe(0);
    expect(mu(5)).toBeCloseTo(0.45, 12);
    expect(mu(10)).toBeCloseTo(0.9, 12);
    expect(mu(20)).toBeCloseTo(0.475, 12);
    expect(mu(30)).toBe(0.05);
    expect(mu(1000)).toBe(0.05);
  });

  it("is a constant valley when W = D = 0 (no division by zero)", () => {
    expect([0, 1, 50].map((s) => warmupCosine(0.9, 0.05, 0, 0, s))).toEqual([0.05, 0.05, 0.05]);
  });

  it("starts at the peak without warm-up (CHORD-mu defaults W 0, D 200)", () => {
    // s 100: 0.05 + 0.85 * (1 + cos(pi / 2)) / 2 = 0.475
    expect(warmupCosine(0.9, 0.05, 0, 200, 0)).toBeCloseTo(0.9, 12);
    expect(warmupCosine(0.9, 0.05, 0, 200, 100)).toBeCloseTo(0.475, 12);
    expect(warmupCosine(0.9, 0.05, 0, 200, 200)).toBe(0.05);
  });

  it("drops straight to the valley after warm-up when D = 0", () => {
    expect(warmupCosine(0.9, 0.05, 10, 0, 9)).toBeCloseTo(0.81, 12);
    expect(warmupCosine(0.9, 0.05, 10, 0, 10)).toBe(0.05);
  });
});

describe("linear and cosine", () => {
  it("linear(1 -> 0, over 10)", () => {
    expect([0, 5, 10, 20].map((s) => linearSchedule(1, 0, 10, s))).toEqual([1, 0.5, 0, 0]);
    expect(linearSchedule(1, 0, 0, 0)).toBe(0);
  });

  it("cosine(1 -> 0, over 10)", () => {
    // s 5: 0 + 1 * (1 + cos(pi / 2)) / 2 = 0.5; s 2.5: (1 + cos(pi / 4)) / 2 = 0.8535534
    expect(cosineSchedule(1, 0, 10, 0)).toBe(1);
    expect(cosineSchedule(1, 0, 10, 5)).toBeCloseTo(0.5, 12);
    expect(cosineSchedule(1, 0, 10, 2.5)).toBeCloseTo((1 + Math.SQRT1_2) / 2, 12);
    expect(cosineSchedule(1, 0, 10, 10)).toBe(0);
    expect(cosineSchedule(1, 0, 0, 0)).toBe(0);
  });
});

describe("scheduleAt", () => {
  it("evaluates a schedule given as data", () => {
    expect(scheduleAt(0.1, 7)).toBe(0.1);
    expect(scheduleAt({ kind: "linear", from: 0, to: 2, over: 4 }, 1)).toBe(0.5);
    expect(scheduleAt({ kind: "cosine", from: 2, to: 0, over: 4 }, 2)).toBeCloseTo(1, 12);
    expect(scheduleAt({ kind: "warmup_cosine", peak: 0.9, valley: 0.05, warmup: 10, decay: 20 }, 5)).toBeCloseTo(0.45, 12);
  });

  it("rejects a negative or non-finite step", () => {
    expect(() => linearSchedule(1, 0, 10, -1)).toThrow(/step must be a finite number >= 0/);
    expect(() => warmupCosine(1, 0, 0, 0, Number.NaN)).toThrow(/step must be/);
  });
});

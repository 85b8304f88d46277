import { describe, expect, it } from "vitest";
import { blocked, nextPoint, sharedStages } from "./schedule.js";

/** Two seeds' warm-ups (w17, w18), each followed by one of two RL stages. */
const point = (seed: number, rl: string) => ({ keys: [`w${seed}`, `w${seed}-${rl}`] });

describe("the sweep's schedule", () => {
  it("counts the stages two points share from the first", () => {
    expect(sharedStages(["a", "b", "c"], ["a", "b", "x"])).toBe(2);
    expect(sharedStages(["a"], ["b"])).toBe(0);
    expect(sharedStages(["a", "b"], ["a", "b"])).toBe(2);
  });

  it("holds a point back while a running point computes a stage they share, and lets it go once that stage has ended", () => {
    const running = { ...point(17, "grpo"), stagesEnded: 0 };
    expect(blocked(point(17, "null"), [running])).toBe(true);
    expect(blocked(point(18, "null"), [running])).toBe(false);
    expect(blocked(point(17, "null"), [{ ...running, stagesEnded: 1 }])).toBe(false);
  });

  it("starts the first point in the sweep's order that need not wait, or none", () => {
    const pending = [point(17, "null"), point(18, "grpo"), point(18, "null")];
    expect(nextPoint(pending, [{ ...point(17, "grpo"), stagesEnded: 0 }])).toBe(1);
    expect(nextPoint(pending, [])).toBe(0);
    const running = [
      { ...point(17, "grpo"), stagesEnded: 0 },
      { ...point(18, "grpo"), stagesEnded: 1 },
    ];
    expect(nextPoint([point(17, "null")], running)).toBeUndefined();
  });
});

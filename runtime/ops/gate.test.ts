import { describe, expect, it } from "vitest";
import { posteriorGate } from "./gate.js";
import { f32, rolloutsFromSteps } from "./testing.js";

describe("posteriorGate", () => {
  it("adds the mean step score only to successful responses", () => {
    // row 0: 1 + (0.5 + 1) / 2 = 1.75; row 1 failed: 0 (its 0.9 is ignored); row 2: empty, 1 + 0
    const r = rolloutsFromSteps(3, [[1, 1], [1], []]);
    expect(Array.from(posteriorGate(f32([1, 0, 1]), f32([0.5, 1, 0.9]), r))).toEqual([1.75, 0, 1]);
  });

  it("refuses a non-binary outcome (E3103)", () => {
    expect(() => posteriorGate(f32([0.7]), f32([1]), rolloutsFromSteps(1, [[1]]))).toThrow(/binary outcome/);
  });
});

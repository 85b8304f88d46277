import { describe, expect, it } from "vitest";
import { addAtEnd, atEnd, eachStep } from "./lift.js";
import { f32, rolloutsFromSteps } from "./testing.js";

// rows: 3 steps | empty | 1 step
const r = rolloutsFromSteps(3, [[1, 1, 1], [], [2]]);

describe("lifts of an outcome to steps", () => {
  it("at_end puts the outcome on the row's last step", () => {
    expect(Array.from(atEnd(f32([1, 7, 0.5]), r))).toEqual([0, 0, 1, 0.5]);
  });

  it("each_step copies the outcome to every step", () => {
    expect(Array.from(eachStep(f32([1, 7, 0.5]), r))).toEqual([1, 1, 1, 0.5]);
  });

  it("addAtEnd adds the outcome to the last step and leaves its input alone", () => {
    const steps = f32([0.25, 0.5, 0.25, -1]);
    expect(Array.from(addAtEnd(steps, f32([1, 7, 0.5]), r))).toEqual([0.25, 0.5, 1.25, -0.5]);
    expect(Array.from(steps)).toEqual([0.25, 0.5, 0.25, -1]);
  });
});

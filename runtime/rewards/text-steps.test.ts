import { describe, expect, it } from "vitest";
import { splitSteps } from "../ops/batch.js";
import { splitStepText } from "./text-steps.js";

describe("splitStepText", () => {
  it("splits as splitSteps splits tokens, leaving out each step's separator", () => {
    const cases: [string, string[]][] = [
      ["", []],
      ["a", ["a"]],
      ["a\nb", ["a", "b"]],
      ["a\nb\n", ["a", "b"]],
      ["a\n\nb", ["a", "", "b"]],
      ["\n", [""]],
      ["\n\n", ["", ""]],
    ];
    for (const [response, steps] of cases) {
      expect(splitStepText(response, "\n"), JSON.stringify(response)).toEqual(steps);
      // One character per token: as many text steps as token steps.
      expect(
        splitSteps(
          Array.from(response, (c) => c.charCodeAt(0)),
          10,
        ).length,
        JSON.stringify(response),
      ).toBe(steps.length);
    }
  });

  it("takes a separator of several characters", () => {
    expect(splitStepText("a. b. c", ". ")).toEqual(["a", "b", "c"]);
  });
});

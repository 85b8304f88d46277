import { describe, expect, it } from "vitest";
import { closest, editDistance } from "./suggest.js";

describe("suggestions", () => {
  it("measures edits", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
    expect(editDistance("E3014", "E3104")).toBe(1);
    expect(editDistance("ab", "ba")).toBe(1);
  });

  it("suggests a close name and prefers one of the same length on ties", () => {
    expect(closest("stepz", ["step", "steps", "epochs"])).toBe("steps");
    expect(closest("grpoo", ["grpo", "rloo"])).toBe("grpo");
  });

  it("suggests nothing for a name far from every candidate", () => {
    expect(closest("xyz", ["steps", "epochs"])).toBeUndefined();
    expect(closest("ab", ["cd"])).toBeUndefined();
  });
});

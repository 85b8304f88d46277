import { describe, expect, it } from "vitest";
import { isOverrideFile, overrideSources } from "./overrides.js";

describe("the --set pseudo-files", () => {
  it("are named in order and recognised as overrides", () => {
    const sources = overrideSources(["rl.group=4", "run.seed=1"]);
    expect(sources.map((s) => s.file)).toEqual(["--set #1", "--set #2"]);
    expect(sources.every((s) => isOverrideFile(s.file))).toBe(true);
  });

  it("are not confused with files on disk", () => {
    expect(isOverrideFile("recipes/arith/grpo.recipe")).toBe(false);
    expect(isOverrideFile("--settings.recipe")).toBe(false);
  });
});

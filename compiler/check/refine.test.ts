import { describe, expect, it } from "vitest";
import { DATASET_METHODS } from "../builtins/records.js";
import { BUILTINS } from "../builtins/table.js";
import { TASK_MEMBERS } from "../builtins/tasks.js";
import { REFINEMENTS } from "./refine.js";

const ALL_BUILTINS = [...BUILTINS, ...DATASET_METHODS, ...Object.values(TASK_MEMBERS).flat()];

describe("the refinements the built-in tables name", () => {
  it("all exist, so no built-in's refinement is skipped", () => {
    const unknown = ALL_BUILTINS.filter((b) => b.refine !== undefined && !Object.hasOwn(REFINEMENTS, b.refine));
    expect(unknown.map((b) => `${b.name}: ${b.refine}`)).toEqual([]);
  });

  it("are each named by some built-in, so none is dead", () => {
    const named = new Set<string | undefined>(ALL_BUILTINS.map((b) => b.refine));
    expect(Object.keys(REFINEMENTS).filter((name) => !named.has(name))).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { checkProgram } from "../program.js";
import { recipe } from "../plan/testing.js";

/** The errors of the test recipe whose RL stage has `eval = { ...fields }`. */
function evalDiagnostics(fields: string) {
  const source = recipe(`  reward = correct\n  eval = { data = train, every = 5 steps, rewards = [correct]${fields} }`);
  return checkProgram("inline.recipe", source).diagnostics.filter((d) => d.severity === "error");
}

/** As `CODE message (label)`. */
function evalErrors(fields: string): string[] {
  return evalDiagnostics(fields).map((d) => `${d.code} ${d.message} (${d.label ?? ""})`);
}

describe("an eval block's samples", () => {
  it("takes k answers at a temperature above 0, and one greedy answer by default", () => {
    expect(evalErrors("")).toEqual([]);
    expect(evalErrors(", temperature = 1.0, samples = 8")).toEqual([]);
    expect(evalErrors(", temperature = 0.7, samples = 1")).toEqual([]);
  });

  it("are at least 1", () => {
    expect(evalErrors(", temperature = 1.0, samples = 0")).toEqual([
      "E2105 `samples` is out of range: must be at least 1, found 0 (answers drawn per prompt at `temperature` (k of pass@k))",
    ]);
  });

  it("are one at temperature 0, written or by default: k greedy answers are one answer k times", () => {
    const refused =
      "E2105 `samples` is out of range: 4 answers at temperature 0 are the greedy answer 4 times (several answers per prompt need a temperature above 0)";
    expect(evalErrors(", samples = 4")).toEqual([refused]);
    expect(evalErrors(", temperature = 0, samples = 4")).toEqual([refused]);
    // Where the eval was made greedy: the field when written, a note when it is the default.
    const [written] = evalDiagnostics(", temperature = 0, samples = 4");
    expect(written?.secondary.map((l) => l.message)).toEqual(["the eval is greedy here"]);
    const [defaulted] = evalDiagnostics(", samples = 4");
    expect(defaulted?.secondary).toEqual([]);
    expect(defaulted?.notes).toEqual(["an eval's `temperature` is 0 (greedy) unless the block sets it"]);
  });
});

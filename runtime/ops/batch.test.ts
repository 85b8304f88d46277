import { describe, expect, it } from "vitest";
import { checkRollouts, packRollouts, requireBinary, requireGroups, rowCount, rowSpan, splitSteps, stepStart, type Rollouts } from "./batch.js";
import { rolloutsFromSteps } from "./testing.js";

const SEP = 1;

describe("splitSteps", () => {
  it("closes a step at each separator and the last step at end-of-sequence", () => {
    // tokens: 5 [1] 6 [1] 7 -> steps "5 1", "6 1", "7" end at 1, 3, 4
    expect(Array.from(splitSteps([5, 1, 6, 1, 7], SEP))).toEqual([1, 3, 4]);
  });

  it("makes a response without a separator one step ending at its last token", () => {
    expect(Array.from(splitSteps([5, 6, 7], SEP))).toEqual([2]);
  });

  it("does not add an empty step after a final separator", () => {
    expect(Array.from(splitSteps([5, 1], SEP))).toEqual([1]);
  });

  it("gives every separator of a run its own step", () => {
    expect(Array.from(splitSteps([1, 1, 5], SEP))).toEqual([0, 1, 2]);
  });

  it("gives an empty response no step", () => {
    expect(splitSteps([], SEP).length).toBe(0);
  });
});

describe("rowSpan", () => {
  it("gives a row's [start, end) and refuses a row outside the offsets", () => {
    const offsets = Int32Array.from([0, 3, 3, 5]);
    expect([0, 1, 2].map((row) => rowSpan(offsets, row))).toEqual([
      [0, 3],
      [3, 3],
      [3, 5],
    ]);
    expect(() => rowSpan(offsets, 3)).toThrow(RangeError);
    expect(() => rowSpan(offsets, -1)).toThrow(RangeError);
  });
});

describe("packRollouts", () => {
  it("packs responses end to end with step ends as flat token indices", () => {
    // rows: "5 1 6" | "7" || "" | "1 1"  (2 groups of 2)
    const r = packRollouts(2, [[5, 1, 6], [7], [], [1, 1]], SEP);
    expect(r.groups).toBe(2);
    expect(rowCount(r)).toBe(4);
    expect(Array.from(r.tokenOffsets)).toEqual([0, 3, 4, 4, 6]);
    expect(Array.from(r.stepOffsets)).toEqual([0, 2, 3, 3, 5]);
    // row 0: steps end at 1 and 2; row 1 at 3; row 3 at 4 and 5
    expect(Array.from(r.stepEnds)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(r.mask)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(r.kept)).toEqual([1, 1, 1, 1]);
  });

  it("copies the token masks as 0/1", () => {
    const r = packRollouts(1, [[5, 6], [7]], SEP, [[1, 0], [2]]);
    expect(Array.from(r.mask)).toEqual([1, 0, 1]);
  });

  it("rejects a mask of the wrong length", () => {
    expect(() => packRollouts(1, [[5, 6]], SEP, [[1]])).toThrow(/mask of response 0: expected 2/);
  });

  it("rejects responses that do not fill whole groups", () => {
    expect(() => packRollouts(2, [[5], [6], [7]], SEP)).toThrow(/3 rows is not 1.5 groups of 2/);
  });
});

describe("stepStart", () => {
  it("starts each step right after the previous step's end, across rows and empty rows", () => {
    // rows: [2, 1] | [] | [3] -> steps cover tokens 0-1, 2, 3-5
    const r = rolloutsFromSteps(3, [[2, 1], [], [3]]);
    expect([0, 1, 2].map((s) => stepStart(r, s))).toEqual([0, 2, 3]);
    expect(Array.from(r.stepEnds)).toEqual([1, 2, 5]);
  });
});

describe("checkRollouts", () => {
  const valid = (): Rollouts => rolloutsFromSteps(2, [[2, 1], [1]]);

  it("accepts a packed batch", () => {
    expect(() => checkRollouts(valid())).not.toThrow();
  });

  it("reports an empty group", () => {
    expect(() => checkRollouts({ ...valid(), groupSize: 0 })).toThrow(/empty group/);
  });

  it("reports a last step that does not end at the last token", () => {
    expect(() => checkRollouts({ ...valid(), stepEnds: Int32Array.from([0, 1, 3]) })).toThrow(/last step of row 0 must end at its last token/);
  });

  it("reports step ends out of order", () => {
    expect(() => checkRollouts({ ...valid(), stepEnds: Int32Array.from([2, 2, 3]) })).toThrow(/out of order/);
  });

  it("reports a non-empty row without steps", () => {
    const r = valid();
    const broken = { ...r, stepOffsets: Int32Array.from([0, 2, 2]), stepEnds: Int32Array.from([1, 2]) };
    expect(() => checkRollouts(broken)).toThrow(/row 1 has 1 tokens but 0 steps/);
  });

  it("reports a kept array of the wrong length", () => {
    expect(() => checkRollouts({ ...valid(), kept: new Uint8Array(3) })).toThrow(/kept: expected 2 values, got 3/);
  });
});

describe("value checks", () => {
  it("requireBinary names the first non-binary value", () => {
    expect(() => requireBinary([1, 0, 0.5], "PROF")).toThrow(/PROF: expected a binary outcome \(0 or 1\), got 0.5 at row 2/);
    expect(() => requireBinary([1, 0, 1], "PROF")).not.toThrow();
  });

  it("requireGroups rejects an empty group and a partial group", () => {
    expect(() => requireGroups([1, 2], 0, new Uint8Array(2))).toThrow(/empty group/);
    expect(() => requireGroups([1, 2, 3], 2, new Uint8Array(3))).toThrow(/3 values do not fill groups of 2/);
  });
});

import { describe, expect, it } from "vitest";
import { oneSidedRows, profCritic, profFilter, roundHalfEven, type ProfOptions } from "./prof.js";
import { approx, f32, rolloutsFromSteps } from "./testing.js";

const G = 8;
// Every row has two steps, both scored v_i; the scores are shuffled against group order so that
// ranking by critic and keeping group order give different answers.
const V = [0.6, 0.1, 0.9, 0.3, 0.7, 0.2, 0.8, 0.4];
const rows = rolloutsFromSteps(
  G,
  V.map(() => [1, 1]),
);
const process = f32(V.flatMap((v) => [v, v]));
const outcomeWith = (correct: number): Float32Array => f32(V.map((_, i) => (i < correct ? 1 : 0)));
const options = (remove: number, extra: Partial<ProfOptions> = {}): ProfOptions => ({
  remove,
  lengthPenalty: 0,
  stepBounds: [2, 30],
  ...extra,
});

describe("profFilter: the worked cases of docs/algorithms.md §3 (G = 8, remove = 4)", () => {
  // m = 0.5, so a correct row's critic is 2 (v - 0.5) and an incorrect row's is -2 (v - 0.5):
  // correct rows keep their highest scores, incorrect rows their lowest.
  it.each([
    // 6/2: D = 4, r_P = min(4, round(8 / 2)) = 4: drop correct 0.1, 0.2, 0.3, 0.6 (rows 1 5 3 0)
    { correct: 6, kept: [0, 0, 1, 0, 1, 0, 1, 1], split: "2 + 2" },
    // 5/3: D = 2, r_P = 3: drop correct rows 1 3 0; then 1 incorrect, the highest score 0.8 (row 6)
    { correct: 5, kept: [0, 0, 1, 0, 1, 1, 0, 1], split: "2 + 2" },
    // 1/7: D = -6, r_P = round(-1) = -1: drop the 4 incorrect with the highest scores 0.9 0.8 0.7 0.4
    { correct: 1, kept: [1, 1, 0, 1, 0, 1, 0, 0], split: "1 + 3" },
    // 8/0: D = 8, r_P = min(4, 6) = 4: keep the 4 best correct 0.6 0.9 0.7 0.8
    { correct: 8, kept: [1, 0, 1, 0, 1, 0, 1, 0], split: "4 + 0" },
    // 0/8: D = -8, r_P = -2: drop the 4 highest scores, keep the 4 lowest-scored 0.1 0.3 0.2 0.4
    { correct: 0, kept: [0, 1, 0, 1, 0, 1, 0, 1], split: "0 + 4" },
  ])("$correct correct keeps $split", ({ correct, kept, split }) => {
    const result = profFilter(outcomeWith(correct), process, rows, options(4));
    expect(Array.from(result.kept)).toEqual(kept);
    const keptCorrect = kept.filter((k, i) => k && i < correct).length;
    expect(`${keptCorrect} + ${kept.filter((k) => k).length - keptCorrect}`).toBe(split);
  });
});

describe("profFilter", () => {
  it("rounds r_P half to even: 3/5 correct with remove 3 drops only incorrect rows", () => {
    // D = -2, (D + r) / 2 = 0.5 -> 0 (half-up would give 1 and drop a correct row)
    // incorrect rows 3..7 with scores 0.3 0.7 0.2 0.8 0.4: drop 0.8 0.7 0.4 (rows 6 4 7)
    const result = profFilter(outcomeWith(3), process, rows, options(3));
    expect(Array.from(result.kept)).toEqual([1, 1, 1, 1, 0, 1, 0, 0]);
  });

  it("rounds r_P half to even: 5/3 correct with remove 3 drops 2 correct and 1 incorrect", () => {
    // D = 2, (2 + 3) / 2 = 2.5 -> 2: drop correct 0.1 0.3 (rows 1 3), then incorrect 0.8 (row 6)
    const result = profFilter(outcomeWith(5), process, rows, options(3));
    expect(Array.from(result.kept)).toEqual([1, 0, 1, 0, 1, 1, 0, 1]);
  });

  it("breaks critic ties by order in the group", () => {
    const four = rolloutsFromSteps(4, [
      [1, 1],
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    const flat = f32(new Array(8).fill(0.5));
    // 4/0, remove 2: r_P = min(2, round(3)) = 2; all critics 0 -> drop rows 0 and 1
    expect(Array.from(profFilter(f32([1, 1, 1, 1]), flat, four, options(2)).kept)).toEqual([0, 0, 1, 1]);
    // 0/4, remove 2: r_P = round(-1) = -1 -> drop 2 incorrect, again rows 0 and 1
    expect(Array.from(profFilter(f32([0, 0, 0, 0]), flat, four, options(2)).kept)).toEqual([0, 0, 1, 1]);
  });

  it("removes at most the group: remove 10 of 3/1 drops everything", () => {
    // r = min(10, 4) = 4; D = 2, r_P = min(4, 3) = 3; then 4 - 3 = 1 incorrect
    const four = rolloutsFromSteps(4, [[1], [1], [1], [1]]);
    const result = profFilter(f32([1, 1, 1, 0]), f32([0.1, 0.2, 0.3, 0.4]), four, options(10));
    expect(Array.from(result.kept)).toEqual([0, 0, 0, 0]);
  });

  it("leaves rows dropped before it out, and leaves them dropped", () => {
    // 8 correct, row 7 already dropped: r = 4 of 7 rows, r_P = min(4, round(5.5)) = 4
    // drop the lowest of rows 0..6: 0.1 0.2 0.3 0.6 (rows 1 5 3 0)
    const before = { ...rows, kept: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 0]) };
    expect(Array.from(profFilter(outcomeWith(8), process, before, options(4)).kept)).toEqual([0, 0, 1, 0, 1, 0, 1, 0]);
    expect(Array.from(before.kept)).toEqual([1, 1, 1, 1, 1, 1, 1, 0]);
  });

  it("refuses a non-binary outcome (E3103) and a negative remove", () => {
    const outcome = outcomeWith(4);
    outcome[2] = 0.5;
    expect(() => profFilter(outcome, process, rows, options(4))).toThrow(/binary outcome/);
    expect(() => profFilter(outcomeWith(4), process, rows, options(-1))).toThrow(/non-negative integer/);
  });
});

describe("profCritic", () => {
  it("uses the batch-wide mean m and penalises out-of-bounds step counts", () => {
    // group 0: row 0 correct, steps 1.0 0.5; row 1 incorrect, one step 0.0
    // group 1: row 2 correct, steps 1 1;     row 3 incorrect, steps 1 1
    // m = (1 + 0.5 + 0 + 1 + 1 + 1 + 1) / 7 = 5.5 / 7
    // c_0 = (2 (1 - m) + 2 (0.5 - m)) / 2 = 1.5 - 2m;  c_1 = 2 (0 - m)(-1) = 2m, minus 0.25 (K = 1 < 2)
    // c_2 = 2 (1 - m);  c_3 = -2 (1 - m)
    const r = rolloutsFromSteps(2, [[1, 1], [1], [1, 1], [1, 1]]);
    const m = 5.5 / 7;
    const { critic, mean } = profCritic(f32([1, 0, 1, 0]), f32([1, 0.5, 0, 1, 1, 1, 1]), r, 0.25, [2, 30]);
    expect(mean).toBeCloseTo(m, 12);
    expect(Array.from(critic)).toEqual(approx([1.5 - 2 * m, 2 * m - 0.25, 2 * (1 - m), -2 * (1 - m)], 6));
  });

  it("gives an empty response c = 0, still subject to the length penalty", () => {
    const r = rolloutsFromSteps(2, [[], [1]]);
    expect(profCritic(f32([1, 0]), f32([0.3]), r, 0, [2, 30]).critic[0]).toBe(0);
    expect(profCritic(f32([1, 0]), f32([0.3]), r, 0.2, [2, 30]).critic[0]).toBe(-0.2);
  });

  it("penalises above the upper bound but not on the bounds (inclusive range)", () => {
    // steps 2, 3, 4 with bounds 2..3: only the 4-step row pays; every score equals m -> c = 0
    const r = rolloutsFromSteps(3, [
      [1, 1],
      [1, 1, 1],
      [1, 1, 1, 1],
    ]);
    const { critic } = profCritic(f32([1, 1, 1]), f32(new Array(9).fill(0.5)), r, 0.5, [2, 3]);
    expect(Array.from(critic)).toEqual([0, 0, -0.5]);
  });
});

describe("oneSidedRows", () => {
  it("flags the kept rows of groups left all correct or all incorrect", () => {
    // group 0: kept outcomes 1 1 (row 1 dropped) -> one-sided; group 1: 1 0 -> mixed
    const r = { ...rolloutsFromSteps(3, [[1], [1], [1], [1], [1], [1]]), kept: Uint8Array.from([1, 0, 1, 1, 1, 0]) };
    expect(Array.from(oneSidedRows(f32([1, 0, 1, 1, 0, 0]), r))).toEqual([1, 0, 1, 0, 0, 0]);
  });
});

describe("roundHalfEven", () => {
  it("rounds halves to the even neighbour like Python's round()", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 3.2, 2.7, -2.7].map(roundHalfEven)).toEqual([0, 2, 2, 0, -2, 3, 3, -3]);
  });
});

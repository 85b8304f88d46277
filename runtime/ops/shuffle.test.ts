import { describe, expect, it } from "vitest";
import { mulberry32 } from "./rng.js";
import { shuffleWithinGroups } from "./shuffle.js";
import { f32 } from "./testing.js";

const all = (n: number): Uint8Array => new Uint8Array(n).fill(1);
const sorted = (values: ArrayLike<number>): number[] => Array.from(values).sort((a, b) => a - b);

// Three groups of four, every value distinct and naming its group: 10s, 20s, 30s.
const VALUES = f32([11, 12, 13, 14, 21, 22, 23, 24, 31, 32, 33, 34]);

describe("shuffleWithinGroups", () => {
  it("permutes each group's values among its own rows, for every seed", () => {
    for (let seed = 0; seed < 200; seed++) {
      const out = shuffleWithinGroups(VALUES, 4, all(12), mulberry32(seed));
      for (let g = 0; g < 3; g++) {
        // The same multiset in the group's rows: a permutation, and nothing crosses a group.
        expect(sorted(out.subarray(4 * g, 4 * g + 4)), `seed ${seed}, group ${g}`).toEqual(sorted(VALUES.subarray(4 * g, 4 * g + 4)));
      }
    }
  });

  it("draws every ordering of a group: a value lands on each of its rows about equally often", () => {
    // 4000 draws of one group of 4: each (row, value) pair is expected 1000 times (sd about 27).
    const counts = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
    const rng = mulberry32(7);
    for (let draw = 0; draw < 4000; draw++) {
      shuffleWithinGroups(f32([0, 1, 2, 3]), 4, all(4), rng).forEach((value, row) => {
        const cell = counts[row];
        if (cell) cell[value] = (cell[value] ?? 0) + 1;
      });
    }
    for (const n of counts.flat()) {
      expect(n).toBeGreaterThan(850);
      expect(n).toBeLessThan(1150);
    }
  });

  it("is a function of its seed: the same seed gives the same permutation, another seed another", () => {
    const once = Array.from(shuffleWithinGroups(VALUES, 4, all(12), mulberry32(42)));
    expect(Array.from(shuffleWithinGroups(VALUES, 4, all(12), mulberry32(42)))).toEqual(once);
    const others = [1, 2, 3].map((seed) => Array.from(shuffleWithinGroups(VALUES, 4, all(12), mulberry32(seed))));
    expect(others.some((other) => other.join() !== once.join())).toBe(true);
  });

  it("leaves dropped rows where they are and permutes the kept rows among themselves", () => {
    const kept = Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 1]);
    for (let seed = 0; seed < 50; seed++) {
      const out = shuffleWithinGroups(f32([1, 9, 2, 3, 8, 7, 4, 5]), 4, kept, mulberry32(seed));
      expect([out[1], out[4], out[5]]).toEqual([9, 8, 7]);
      expect(sorted([out[0] ?? 0, out[2] ?? 0, out[3] ?? 0])).toEqual([1, 2, 3]);
      expect(sorted([out[6] ?? 0, out[7] ?? 0])).toEqual([4, 5]);
    }
  });

  it("does not modify its input, and refuses rows that do not fill whole groups", () => {
    const values = f32([1, 2, 3, 4]);
    shuffleWithinGroups(values, 2, all(4), mulberry32(1));
    expect(Array.from(values)).toEqual([1, 2, 3, 4]);
    expect(() => shuffleWithinGroups(f32([1, 2, 3]), 2, all(3), mulberry32(1))).toThrow(/do not fill groups of 2/);
    expect(() => shuffleWithinGroups(values, 2, all(3), mulberry32(1))).toThrow(/kept/);
  });
});

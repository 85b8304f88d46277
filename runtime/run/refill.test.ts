import { describe, expect, it } from "vitest";
import { refill, type Round } from "./refill.js";

/**
 * A fake sampler: round r's groups are named `r.i`, and `verdicts[r]` says which carry no
 * signal (1) — what sampling and scoring a round would decide. Records the rounds drawn.
 */
function fake(verdicts: readonly (readonly number[])[]) {
  const drawn: number[] = [];
  const round = (r: number): Round<string> => {
    const zero = verdicts[r];
    if (zero === undefined) throw new Error(`round ${r} was not expected to be drawn`);
    return { groups: zero.map((_, i) => `${r}.${i}`), zeroSignal: Uint8Array.from(zero) };
  };
  return {
    first: round(0),
    drawn,
    draw: async (r: number) => {
      drawn.push(r);
      return round(r);
    },
  };
}

describe("refill (dynamic sampling's choice of groups)", () => {
  it("replaces the all-agreeing groups of a batch with groups of later rounds, in the order drawn", async () => {
    const f = fake([
      [1, 0, 1, 0], // two groups with signal of four
      [0, 1, 1, 1], // one more
      [1, 0, 0, 1], // two more: one too many
    ]);
    const result = await refill(f.first, 5, f.draw);
    expect(f.drawn).toEqual([1, 2]);
    expect(result).toEqual({ groups: ["0.1", "0.3", "1.0", "2.1"], refills: 2, capped: false });
  });

  it("draws nothing more when the first round is all signal", async () => {
    const f = fake([[0, 0, 0]]);
    expect(await refill(f.first, 3, f.draw)).toEqual({ groups: ["0.0", "0.1", "0.2"], refills: 0, capped: false });
    expect(f.drawn).toEqual([]);
  });

  it("stops at the cap and says so, filling the batch with the first zero-signal groups drawn", async () => {
    const f = fake([
      [1, 1, 0, 1],
      [1, 1, 1, 1],
      [1, 0, 1, 1],
    ]);
    const result = await refill(f.first, 2, f.draw);
    expect(f.drawn).toEqual([1, 2]);
    expect(result.refills).toBe(2);
    expect(result.capped).toBe(true);
    // Both groups with signal, then two zero-signal ones, the earliest drawn, all in draw order.
    expect(result.groups).toEqual(["0.0", "0.1", "0.2", "2.1"]);
  });

  it("keeps the batch size when no round has any signal", async () => {
    const f = fake([
      [1, 1],
      [1, 1],
    ]);
    expect(await refill(f.first, 1, f.draw)).toEqual({ groups: ["0.0", "0.1"], refills: 1, capped: true });
  });

  it("refuses a round whose flags do not match its groups", async () => {
    await expect(
      refill({ groups: ["a", "b"], zeroSignal: Uint8Array.from([1]) }, 1, async () => ({ groups: [], zeroSignal: new Uint8Array(0) })),
    ).rejects.toThrow(/sampling round 0: 2 groups and 1 zero-signal flags/);
  });
});

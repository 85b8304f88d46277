import { describe, expect, it } from "vitest";
import { aggregate, aggregationWeights, type Aggregation } from "./aggregate.js";
import { approx, f32, rolloutsFromSteps } from "./testing.js";

const approxAll = (v: number[]) => approx(v);

const modes: Aggregation[] = [
  { mode: "token_mean" },
  { mode: "seq_mean_token_mean" },
  { mode: "seq_mean_token_sum" },
  { mode: "seq_mean_token_sum_norm", maxTokens: 4 },
];
const all = (values: Float32Array, r: ReturnType<typeof rolloutsFromSteps>): number[] => modes.map((agg) => aggregate(values, r, agg));

// rows: 1 2 3 | 10 | 4 (100 masked)
const r = rolloutsFromSteps(3, [[3], [1], [2]], [[1, 1, 1], [1], [1, 0]]);
const values = f32([1, 2, 3, 10, 4, 100]);

describe("aggregate", () => {
  it("computes the four modes over masked tokens", () => {
    // token_mean (1 + 2 + 3 + 10 + 4) / 5 = 4; seq_mean_token_mean (2 + 10 + 4) / 3 = 16/3
    // seq_mean_token_sum (6 + 10 + 4) / 3 = 20/3; seq_mean_token_sum_norm 20 / (3 rows * T_max 4)
    const [a, b, c, d] = all(values, r);
    expect(a).toBe(4);
    expect(b).toBeCloseTo(16 / 3, 12);
    expect(c).toBeCloseTo(20 / 3, 12);
    expect(d).toBeCloseTo(20 / 12, 12);
  });

  it("leaves dropped rows out, including from the row count of the norm", () => {
    // without row 1: 10 / 4 = 2.5; (2 + 4) / 2 = 3; 10 / 2 = 5; 10 / (2 * 4) = 1.25
    expect(all(values, { ...r, kept: Uint8Array.from([1, 0, 1]) })).toEqual([2.5, 3, 5, 1.25]);
  });

  it("skips a row with no masked token in the sequence means but counts it in the norm", () => {
    // row 2 fully masked: 16 / 4 = 4; (2 + 10) / 2 = 6; 16 / 2 = 8; 16 / (3 * 4)
    const masked = rolloutsFromSteps(3, [[3], [1], [2]], [[1, 1, 1], [1], [0, 0]]);
    const [a, b, c, d] = all(values, masked);
    expect([a, b, c]).toEqual([4, 6, 8]);
    expect(d).toBeCloseTo(16 / 12, 12);
  });

  it("gives 0 when nothing is counted, and needs T_max for the norm", () => {
    expect(all(values, { ...r, kept: new Uint8Array(3) })).toEqual([0, 0, 0, 0]);
    expect(() => aggregate(values, r, { mode: "seq_mean_token_sum_norm", maxTokens: 0 })).toThrow(/max_tokens > 0/);
  });

  it("gives per-token weights whose weighted sum is the aggregate, for every mode", () => {
    for (const rows of [r, { ...r, kept: Uint8Array.from([1, 0, 1]) }]) {
      for (const agg of modes) {
        const w = aggregationWeights(rows, agg);
        const weighted = Array.from(w).reduce((sum, wt, t) => sum + wt * (values[t] ?? NaN), 0);
        expect(weighted).toBeCloseTo(aggregate(values, rows, agg), 6);
      }
    }
    // token_mean over 5 counted tokens; the masked token (100) and dropped rows weigh 0
    expect(Array.from(aggregationWeights(r, { mode: "token_mean" }))).toEqual(approxAll([0.2, 0.2, 0.2, 0.2, 0.2, 0]));
    expect(aggregationWeights({ ...r, kept: Uint8Array.from([1, 0, 1]) }, { mode: "seq_mean_token_sum" })[3]).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { empg } from "./empg.js";
import { rewardsToAdvantages, type PipelineConfig, type PipelineInput } from "./pipeline.js";
import { mulberry32 } from "./rng.js";
import { approx, f32, rolloutsFromSteps } from "./testing.js";
import { whiten } from "./whiten.js";

const GRPO: PipelineConfig = {
  credit: { kind: "outcome" },
  advantage: [{ kind: "group_norm", std: true, eps: 1e-6 }],
  filter: { kind: "none" },
};

describe("rewardsToAdvantages: outcome credit (GRPO)", () => {
  // group 0: rows of 2 and 1 + 1 tokens (row 1's last token masked); group 1: 3 tokens and 1
  const rollouts = rolloutsFromSteps(2, [[2], [1, 1], [3], [1]], [[1, 1], [1, 0], [1, 1, 1], [1]]);
  const result = rewardsToAdvantages({ rollouts, reward: { granularity: "outcome", values: f32([1, 0, 1, 1]) } }, GRPO);
  // group 0: mean 0.5, std sqrt(0.5) -> A = +-0.5 / (sqrt(0.5) + 1e-6); group 1 all equal -> 0
  const a = 0.5 / (Math.SQRT1_2 + 1e-6);

  it("copies the group-normalised outcome to every masked token", () => {
    expect(Array.from(result.advantages)).toEqual(approx([a, a, -a, 0, 0, 0, 0, 0], 6));
  });

  it("reports the outcome itself as the returns", () => {
    expect(Array.from(result.returns)).toEqual([1, 1, 0, 0, 1, 1, 1, 1]);
  });

  it("reports the metrics", () => {
    // 7 masked tokens: mean (2a - a) / 7; steps (1 + 2 + 1 + 1) / 4; tokens 8 / 4
    expect(result.metrics.keepRatio).toBe(1);
    expect(result.metrics.advantageMean).toBeCloseTo(a / 7, 6);
    expect(result.metrics.meanSteps).toBe(1.25);
    expect(result.metrics.meanTokens).toBe(2);
    expect(result.metrics.warnings).toBe(0);
  });

  it("sums step rewards into the outcome when outcome credit gets a process reward", () => {
    // o = 0.25 + 0.5 + at_end 0.25 = 1 for row 0; 0 for row 1 -> A = +-a
    const r = rolloutsFromSteps(2, [[1, 1], [1]]);
    const out = rewardsToAdvantages({ rollouts: r, reward: { granularity: "process", values: f32([0.25, 0.5, 0]), atEnd: f32([0.25, 0]) } }, GRPO);
    expect(Array.from(out.returns)).toEqual([1, 1, 0]);
    expect(Array.from(out.advantages)).toEqual(approx([a, a, -a], 6));
  });

  it("gives groups of one A = 0 and counts a warning for each", () => {
    const r = rolloutsFromSteps(1, [[1], [2], [1]]);
    const out = rewardsToAdvantages({ rollouts: r, reward: { granularity: "outcome", values: f32([1, 0, 1]) } }, GRPO);
    expect(Array.from(out.advantages)).toEqual([0, 0, 0, 0]);
    expect(out.metrics.warnings).toBe(3);
  });
});

describe("rewardsToAdvantages: process credit", () => {
  // one group: row 0 has steps of 1 and 1 token, row 1 one step of 2 tokens
  const rollouts = rolloutsFromSteps(2, [[1, 1], [2]]);

  it("strict min-form: returns are the suffix min, rloo shifts them by the other row's first return", () => {
    // returns: row 0 min(0.5, -0.5) = -0.5 on both tokens; row 1: 0.8
    // s = -0.5, 0.8: A row 0 = -0.5 - 0.8 = -1.3; row 1 = 0.8 + 0.5 = 1.3
    const out = rewardsToAdvantages(
      { rollouts, reward: { granularity: "process", values: f32([0.5, -0.5, 0.8]) } },
      { credit: { kind: "min_form", temperature: 0.1, strict: true }, advantage: [{ kind: "rloo" }], filter: { kind: "none" } },
    );
    expect(Array.from(out.returns)).toEqual(approx([-0.5, -0.5, 0.8, 0.8], 6));
    expect(Array.from(out.advantages)).toEqual(approx([-1.3, -1.3, 1.3, 1.3], 6));
  });

  it("strict min-form adds the at_end outcome to every return", () => {
    // returns row 0: -0.5 + 1 = 0.5; s = 0.5, 0.8 -> A = -0.3, 0.3
    const out = rewardsToAdvantages(
      { rollouts, reward: { granularity: "process", values: f32([0.5, -0.5, 0.8]), atEnd: f32([1, 0]) } },
      { credit: { kind: "min_form", temperature: 0.1, strict: true }, advantage: [{ kind: "rloo" }], filter: { kind: "none" } },
    );
    expect(Array.from(out.advantages)).toEqual(approx([-0.3, -0.3, 0.3, 0.3], 6));
  });

  it("min-form weights the steps, then adds the at_end outcome on the last step", () => {
    // row 0, T = 0.1: w_0 = e^-10 / (1 + e^-10); r = 0.5 w_0, -0.5 (1 - w_0); + at_end 1 on step 1
    // token 0: 0.5 w_0 - 0.5 (1 - w_0) + 1 = 0.5 + w_0; token 1: 0.5 + 0.5 w_0; row 1: 0.8 (w = 1)
    const w0 = Math.exp(-10) / (1 + Math.exp(-10));
    const out = rewardsToAdvantages(
      { rollouts, reward: { granularity: "process", values: f32([0.5, -0.5, 0.8]), atEnd: f32([1, 0]) } },
      { credit: { kind: "min_form", temperature: 0.1, strict: false }, advantage: [], filter: { kind: "none" } },
    );
    expect(Array.from(out.returns)).toEqual(approx([0.5 + w0, 0.5 + 0.5 * w0, 0.8, 0.8], 6));
    expect(Array.from(out.advantages)).toEqual(Array.from(out.returns));
  });

  it("sum-form: group_norm on the pooled step rewards, then the discounted sum", () => {
    // steps 1, 0 | 0.5 -> mean 0.5, std 0.5: r' = 1 / 1.000002, -1 / 1.000002 | 0
    // gamma 0.5: token 0: r'_0 + 0.5 r'_1 = 0.5 / 1.000002; token 1: -1 / 1.000002; row 1: 0
    // returns without baseline: 1 + 0.5 * 0 = 1, 0 | 0.5
    const out = rewardsToAdvantages(
      { rollouts, reward: { granularity: "process", values: f32([1, 0, 0.5]) } },
      { credit: { kind: "sum_form", gamma: 0.5 }, advantage: [{ kind: "group_norm", std: true, eps: 1e-6 }], filter: { kind: "none" } },
    );
    expect(Array.from(out.returns)).toEqual([1, 0, 0.5, 0.5]);
    expect(Array.from(out.advantages)).toEqual(approx([0.5 / 1.000002, -1 / 1.000002, 0, 0], 6));
  });

  it("refuses step credit on an outcome reward (E3102)", () => {
    expect(() =>
      rewardsToAdvantages(
        { rollouts, reward: { granularity: "outcome", values: f32([1, 0]) } },
        { credit: { kind: "sum_form", gamma: 1 }, advantage: [], filter: { kind: "none" } },
      ),
    ).toThrow(/E3102/);
  });
});

describe("rewardsToAdvantages: PROF", () => {
  // G = 4, remove 2. Every step of a row carries the row's score v; m = 4 / 8 = 0.5.
  // group 0: y 1 1 0 0, v 0.9 0.4 0.2 0.7: D = 0, r_P = round(1) = 1 -> drop row 1 (critic -0.2),
  //   then the incorrect row with the lower critic -2 (0.7 - 0.5): row 3. Kept: rows 0 and 2.
  // group 1: y 1 1 1 1, v 0.6 0.1 0.8 0.3: r_P = min(2, round(3)) = 2 -> drop rows 5, 7; kept 4, 6
  //   are all correct: one-sided, A = 0.
  const v = [0.9, 0.4, 0.2, 0.7, 0.6, 0.1, 0.8, 0.3];
  const steps = v.map((_, i) => (i === 0 ? [2, 1] : [1, 1]));
  const rollouts = rolloutsFromSteps(4, steps);
  const outcome = f32([1, 1, 0, 0, 1, 1, 1, 1]);
  const input: PipelineInput = {
    rollouts,
    reward: { granularity: "outcome", values: outcome },
    prof: { outcome, process: f32(v.flatMap((x) => [x, x])) },
  };
  const config: PipelineConfig = {
    credit: { kind: "outcome" },
    advantage: [{ kind: "group_norm", std: true, eps: 1e-6 }, { kind: "whiten" }],
    filter: { kind: "prof", remove: 2, lengthPenalty: 0, stepBounds: [2, 30] },
  };
  const out = rewardsToAdvantages(input, config);

  it("keeps the consistent rows", () => {
    expect(Array.from(out.kept)).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
    expect(out.metrics.keepRatio).toBe(0.5);
  });

  it("whitens over the kept tokens and zeroes the one-sided group and the dropped rows", () => {
    // before whitening, tokens of kept rows: row 0 (3 tokens) a, row 2 (2) -a, rows 4 and 6 (2 each) 0
    // mean a / 9; squares 3 (8a/9)^2 + 2 (10a/9)^2 + 4 (a/9)^2; variance over 9 - 1
    const a = 0.5 / (Math.SQRT1_2 + 1e-6);
    const variance = (3 * ((8 * a) / 9) ** 2 + 2 * ((10 * a) / 9) ** 2 + 4 * (a / 9) ** 2) / 8;
    const s = Math.sqrt(variance + 1e-8);
    const row0 = (8 * a) / 9 / s;
    const row2 = -(10 * a) / 9 / s;
    // layout: row 0 tokens 0-2, row 1 3-4, row 2 5-6, row 3 7-8, rows 4..7 two tokens each
    expect(Array.from(out.advantages)).toEqual(approx([row0, row0, row0, 0, 0, row2, row2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 5));
  });

  it("does not modify its input", () => {
    expect(Array.from(rollouts.kept)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(outcome)).toEqual([1, 1, 0, 0, 1, 1, 1, 1]);
  });

  it("needs PROF's scores", () => {
    expect(() => rewardsToAdvantages({ ...input, prof: undefined }, config)).toThrow(/outcome and process scores/);
  });
});

describe("rewardsToAdvantages: advantage chain", () => {
  const rollouts = rolloutsFromSteps(2, [[2, 1], [1], [1, 1], [3]]);
  const reward = { granularity: "outcome" as const, values: f32([1, 0, 0.5, 0.25]) };

  it("runs EMPG after whitening, on the whitened advantages", () => {
    const entropy = f32([0.1, 0.9, 0.3, 2, 0.4, 0.5, 1, 1.5, 0.2]);
    const modulation = { kind: "empg" as const, k: 1, kFuture: 1, zeta: 0.05 };
    const out = rewardsToAdvantages(
      { rollouts, reward, entropy },
      { credit: { kind: "outcome" }, advantage: [{ kind: "rloo" }, { kind: "whiten" }, modulation], filter: { kind: "none" } },
    );
    const plain = rewardsToAdvantages(
      { rollouts, reward },
      { credit: { kind: "outcome" }, advantage: [{ kind: "rloo" }, { kind: "whiten" }], filter: { kind: "none" } },
    );
    expect(Array.from(out.advantages)).toEqual(Array.from(empg(plain.advantages, entropy, rollouts, modulation)));
    expect(Array.from(plain.advantages)).toEqual(Array.from(whiten(plain.advantages, rollouts)).map((x) => expect.closeTo(x, 5)));
  });

  it("refuses a chain out of §0's order, and EMPG without entropy", () => {
    const run = (advantage: PipelineConfig["advantage"]) => () =>
      rewardsToAdvantages({ rollouts, reward }, { credit: { kind: "outcome" }, advantage, filter: { kind: "none" } });
    expect(run([{ kind: "whiten" }, { kind: "rloo" }])).toThrow(/rloo is out of order/);
    expect(run([{ kind: "rloo" }, { kind: "group_norm", std: true, eps: 1e-6 }])).toThrow(/out of order/);
    expect(run([{ kind: "rloo" }, { kind: "empg", k: 1, kFuture: 1, zeta: 0.05 }])).toThrow(/entropy/);
  });

  it("gives zero mean and unit std with rloo |> whiten on a bench-sized batch (B 64, G 16, T 1024, K 16)", () => {
    const rng = mulberry32(99);
    const B = 64;
    const G = 16;
    const big = rolloutsFromSteps(
      G,
      Array.from({ length: B * G }, () => new Array(16).fill(64)),
    );
    const pr = f32(Array.from(big.stepEnds, () => rng() * 2 - 1));
    const out = rewardsToAdvantages(
      { rollouts: big, reward: { granularity: "process", values: pr } },
      { credit: { kind: "min_form", temperature: 0.1, strict: false }, advantage: [{ kind: "rloo" }, { kind: "whiten" }], filter: { kind: "none" } },
    );
    expect(out.advantages.length).toBe(B * G * 1024);
    expect(out.advantages.every(Number.isFinite)).toBe(true);
    expect(out.metrics.advantageMean).toBeCloseTo(0, 5);
    expect(out.metrics.advantageStd).toBeCloseTo(1, 4);
    expect(out.metrics.meanSteps).toBe(16);
  });
});

describe("rewardsToAdvantages: the null control (docs/algorithms.md §1.11)", () => {
  // Two groups of 4 with responses of 1 to 4 tokens; row 2's second token is masked.
  const steps = [[1], [2], [1, 1], [4], [3], [1], [2, 2], [1]];
  const masks = steps.map((s, i) => Array.from({ length: s.reduce((a, b) => a + b, 0) }, (_, t) => (i === 2 && t === 1 ? 0 : 1)));
  const rollouts = rolloutsFromSteps(4, steps, masks);
  const reward = { granularity: "outcome" as const, values: f32([1, 0, 0, 1, 0.5, 0, 1, 0.25]) };
  const CONTROL: PipelineConfig = { ...GRPO, control: "shuffled_advantages" };
  const method = rewardsToAdvantages({ rollouts, reward }, GRPO);
  /** Each row's one advantage, read from its first token. */
  const perRow = (tokens: Float32Array) => Array.from({ length: 8 }, (_, i) => tokens[rollouts.tokenOffsets[i] ?? 0] ?? 0);

  it("hands each response one of its group's advantages, on every token it counts", () => {
    for (let seed = 0; seed < 30; seed++) {
      const out = rewardsToAdvantages({ rollouts, reward, controlRng: mulberry32(seed) }, CONTROL);
      const values = perRow(out.advantages);
      for (let i = 0; i < 8; i++) {
        const [start, end] = [rollouts.tokenOffsets[i] ?? 0, rollouts.tokenOffsets[i + 1] ?? 0];
        const expected = Array.from({ length: end - start }, (_, t) => (rollouts.mask[start + t] ? values[i] : 0));
        expect(Array.from(out.advantages.subarray(start, end)), `seed ${seed}, row ${i}`).toEqual(expected);
      }
      for (const g of [0, 4]) {
        const sorted = (xs: number[]) => xs.slice(g, g + 4).sort((a, b) => a - b);
        expect(sorted(values)).toEqual(sorted(perRow(method.advantages)));
      }
      // The rewards themselves are not permuted: `returns` is the method's.
      expect(Array.from(out.returns)).toEqual(Array.from(method.returns));
    }
  });

  it("is a function of its draws, and moves advantages off the responses that earned them", () => {
    const draw = (seed: number) => Array.from(rewardsToAdvantages({ rollouts, reward, controlRng: mulberry32(seed) }, CONTROL).advantages);
    expect(draw(3)).toEqual(draw(3));
    expect(Array.from({ length: 10 }, (_, seed) => draw(seed).join()).some((d) => d !== Array.from(method.advantages).join())).toBe(true);
  });

  it("carries no link to the reward: over many draws, sum s_i A_i averages 0 where the method's is positive", () => {
    const link = (advantages: number[]) => advantages.reduce((sum, a, i) => sum + a * (reward.values[i] ?? 0), 0);
    let total = 0;
    const draws = 4000;
    const rng = mulberry32(11);
    for (let d = 0; d < draws; d++) total += link(perRow(rewardsToAdvantages({ rollouts, reward, controlRng: rng }, CONTROL).advantages));
    expect(link(perRow(method.advantages))).toBeGreaterThan(1.5);
    expect(Math.abs(total / draws)).toBeLessThan(0.05);
  });

  it("keeps dropped rows at 0 and out of the permutation", () => {
    const kept = Uint8Array.from([1, 1, 0, 1, 1, 1, 1, 0]);
    const out = rewardsToAdvantages({ rollouts: { ...rollouts, kept }, reward, controlRng: mulberry32(5) }, CONTROL);
    const plain = rewardsToAdvantages({ rollouts: { ...rollouts, kept }, reward }, GRPO);
    const values = perRow(out.advantages);
    expect([values[2], values[7]]).toEqual([0, 0]);
    const keptValues = (xs: number[]) => xs.filter((_, i) => kept[i]).sort((a, b) => a - b);
    expect(keptValues(values)).toEqual(keptValues(perRow(plain.advantages)));
  });

  it("refuses step credit (E3108), and a control without its random stream", () => {
    const r = rolloutsFromSteps(2, [[1, 1], [2]]);
    const process = { granularity: "process" as const, values: f32([1, 0, 0.5]) };
    const sumForm: PipelineConfig = { ...CONTROL, credit: { kind: "sum_form", gamma: 1 } };
    expect(() => rewardsToAdvantages({ rollouts: r, reward: process, controlRng: mulberry32(1) }, sumForm)).toThrow(/E3108/);
    expect(() => rewardsToAdvantages({ rollouts, reward }, CONTROL)).toThrow(/random stream/);
  });
});

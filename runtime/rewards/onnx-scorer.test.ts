import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import onnxProto from "onnx-proto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RewardSource as PlanRewardSource } from "../../plan/plan.js";
import { splitSteps } from "../ops/batch.js";
import { createOnnxScorer, type OnnxScorerOptions } from "./onnx-scorer.js";
import type { RewardScorer, ScoreResult, ScoringSample } from "./source.js";
import { encodeModel, FLOAT, INT32, INT64, rewardSource, sample, tableModel, valueInfo } from "./testing.js";

const { onnx } = onnxProto;

let dir: string;
const open: RewardScorer[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "roux-onnx-reward-"));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((scorer) => scorer.close()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Token 4 is the step separator of these tests. */
const SEP = 4;

/**
 * Logits [0, ln k] give P(class 1) = k / (1 + k):
 * id 0 -> 0.5, 1 -> 0.75, 2 -> 0.25, 3 -> 0.9, 4 (separator) -> 0.8.
 */
const TABLE = [
  [0, 0],
  [0, Math.log(3)],
  [Math.log(3), 0],
  [0, Math.log(9)],
  [0, Math.log(4)],
];

async function modelFile(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

function onnxSource(
  path: string,
  fields: Partial<PlanRewardSource> & { positive?: number; input?: string; output?: string; steps?: string } = {},
): PlanRewardSource {
  const { positive = 1, input = "input_ids", output = "probs", steps = "\n", ...rest } = fields;
  return rewardSource({ kind: "onnx", path, input, output, positive, steps }, { granularity: "process", ...rest });
}

function scorer(source: PlanRewardSource, options?: OnnxScorerOptions): RewardScorer {
  const created = createOnnxScorer(source, options);
  open.push(created);
  return created;
}

/** A sample of these token ids, its steps split on SEP. */
function ids(tokens: number[] | null): ScoringSample {
  return sample("", { tokens, stepEnds: tokens === null ? [] : Array.from(splitSteps(tokens, SEP)) });
}

function plain(result: ScoreResult): number[][] {
  return result.values.map((values) => Array.from(values));
}

function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.map((row) => row.length)).toEqual(expected.map((row) => row.length));
  // NaN where `expected` has no value: never close.
  actual.forEach((row, i) => {
    row.forEach((value, k) => {
      expect(value, `sample ${i} value ${k}`).toBeCloseTo(expected[i]?.[k] ?? NaN, 6);
    });
  });
}

/** Scores each sample alone, one run per sample. */
async function oneByOne(js: RewardScorer, samples: ScoringSample[]): Promise<ScoreResult> {
  const each = [];
  for (const s of samples) each.push(await js.score([s]));
  return {
    values: each.flatMap((result) => result.values),
    failures: each.flatMap((result, i) => result.failures.map((f) => ({ ...f, sample: i }))),
  };
}

describe("onnx reward models", () => {
  it("reads the positive class at each step's last token (process)", async () => {
    const path = await modelFile("table.onnx", tableModel(TABLE));
    const result = await scorer(onnxSource(path)).score([ids([1, SEP, 2, 3]), ids([2]), ids([3, SEP]), ids([SEP, SEP, 0])]);
    expect(result.failures).toEqual([]);
    // Steps end at: [1, 3] -> P(4), P(3); [0] -> P(2); [1] -> P(4); [0, 1, 2] -> P(4), P(4), P(0).
    expectClose(plain(result), [[0.8, 0.9], [0.25], [0.8], [0.8, 0.8, 0.5]]);
  });

  it("reads the last token for an outcome source and every token for a token source", async () => {
    const path = await modelFile("table.onnx", tableModel(TABLE));
    const outcome = await scorer(onnxSource(path, { granularity: "outcome" })).score([ids([1, SEP, 2, 3]), ids([2])]);
    expectClose(plain(outcome), [[0.9], [0.25]]);
    const tokens = await scorer(onnxSource(path, { granularity: "token" })).score([ids([1, 2, 0])]);
    expectClose(plain(tokens), [[0.75, 0.25, 0.5]]);
    // Class 0 instead: 1 - P(class 1).
    const negative = await scorer(onnxSource(path, { granularity: "outcome", positive: 0 })).score([ids([3])]);
    expectClose(plain(negative), [[0.1]]);
  });

  it("batches responses of different lengths to the same scores as one by one (causal model)", async () => {
    const path = await modelFile("cumsum.onnx", tableModel(TABLE, { cumulative: true }));
    const js = scorer(onnxSource(path));
    const samples = [ids([1, SEP, 2, 3]), ids([2, 2]), ids([3]), ids(null), ids([]), ids([0, SEP, 1, SEP, 3, 3, 2])];
    const batched = await js.score(samples);
    // Cumulative logits: [1, 4, 2, 3] at t1 [0, ln 12] -> 12/13, at t3 [ln 3, ln 108] -> 108/111;
    // [2, 2] at t1 [2 ln 3, 0] -> 1/10; [3] -> 9/10; no tokens: failed, with no steps; the empty
    // response has no steps; [0, 4, 1, 4, 3, 3, 2] at t1 [0, ln 4] -> 4/5, at t3 [0, ln 48] ->
    // 48/49, at t6 [ln 3, ln 3888] -> 3888/3891.
    expect(batched.failures).toEqual([{ sample: 3, reason: "the sample has no token ids; an onnx reward model scores tokens" }]);
    expectClose(plain(batched), [[12 / 13, 36 / 37], [0.1], [0.9], [], [], [0.8, 48 / 49, 3888 / 3891]]);
    const alone = await oneByOne(js, samples);
    expect(alone.failures).toEqual(batched.failures);
    expectClose(plain(alone), plain(batched));
  });

  it("feeds an attention mask when the model has one, so padding changes nothing", async () => {
    // p[b, t] = sigmoid(e[t] + mean of e over the response's tokens), e = [0, ln 3, -ln 3, ln 9][id]:
    // it looks at the whole response, so without the mask the padding would change the mean.
    const e = [0, Math.log(3), -Math.log(3), Math.log(9)];
    const int = onnx.AttributeProto.AttributeType.INT;
    const path = await modelFile(
      "pooled.onnx",
      encodeModel({
        node: [
          { opType: "Gather", input: ["e", "input_ids"], output: ["embedded"] },
          { opType: "Cast", input: ["attention_mask"], output: ["m"], attribute: [{ name: "to", type: int, i: FLOAT }] },
          { opType: "Mul", input: ["embedded", "m"], output: ["masked"] },
          { opType: "ReduceSum", input: ["masked", "axes"], output: ["total"] },
          { opType: "ReduceSum", input: ["m", "axes"], output: ["count"] },
          { opType: "Div", input: ["total", "count"], output: ["mean"] },
          { opType: "Add", input: ["embedded", "mean"], output: ["z"] },
          { opType: "Sigmoid", input: ["z"], output: ["p"] },
        ],
        initializer: [
          { name: "e", dims: [4], dataType: FLOAT, floatData: e },
          { name: "axes", dims: [1], dataType: INT64, int64Data: [1] },
        ],
        input: [valueInfo("input_ids", INT64, ["batch", "tokens"]), valueInfo("attention_mask", INT64, ["batch", "tokens"])],
        output: [valueInfo("p", FLOAT, ["batch", "tokens"])],
      }),
    );
    const js = scorer(onnxSource(path, { granularity: "outcome", output: "p" }));
    const samples = [ids([1, 1]), ids([1, 2]), ids([3, 1, 1, 2])];
    const batched = await js.score(samples);
    expect(batched.failures).toEqual([]);
    // [1, 1]: ln 3 + ln 3 -> 9/10. [1, 2]: -ln 3 + 0 -> 1/4. [3, 1, 1, 2]: -ln 3 + 3 ln 3 / 4 -> 1 / (1 + 3^(1/4)).
    expectClose(plain(batched), [[0.9], [0.25], [1 / (1 + 3 ** 0.25)]]);
    expectClose(plain(await oneByOne(js, samples)), plain(batched));
  });

  it("takes int32 token ids and another pad id", async () => {
    const path = await modelFile("int32.onnx", tableModel(TABLE, { ids: INT32, cumulative: true }));
    const result = await scorer(onnxSource(path), { padId: 3 }).score([ids([1, SEP, 2, 3]), ids([2, 2])]);
    expect(result.failures).toEqual([]);
    expectClose(plain(result), [[12 / 13, 36 / 37], [0.1]]);
  });

  it("fails only the responses the model cannot take", async () => {
    const path = await modelFile("table.onnx", tableModel(TABLE));
    const result = await scorer(onnxSource(path)).score([ids([1, 2]), ids([7, 1]), ids([3]), ids([]), ids([-1])]);
    expect(result.failures.map((f) => f.sample)).toEqual([1, 4]);
    expect(result.failures[0]?.reason).toMatch(/^running table\.onnx failed: .*indices element out of data bounds/);
    expect(result.failures[1]?.reason).toBe("token 0 of the response has id -1, which is not a token id");
    expectClose(
      plain(result).filter((_, i) => i !== 1 && i !== 4),
      [[0.25], [0.9], []],
    );
    const outcome = await scorer(onnxSource(path, { granularity: "outcome" })).score([ids([])]);
    expect(outcome.failures).toEqual([{ sample: 0, reason: "the response is empty: an outcome reward model reads the last token, and there is none" }]);
    const badSteps = await scorer(onnxSource(path)).score([sample("", { tokens: [1, 2], stepEnds: [1, 5] })]);
    expect(badSteps.failures[0]?.reason).toBe("step ends [1, 5] are not increasing positions in the response's 2 tokens");
  });

  it("fails samples whose scores are not probabilities, and outputs of the wrong shape", async () => {
    const logits = await modelFile("logits.onnx", tableModel(TABLE, { logits: true }));
    const result = await scorer(onnxSource(logits, { granularity: "outcome" })).score([ids([3]), ids([0])]);
    // ln 9 is not a probability; 0 happens to be one.
    expect(result.failures).toEqual([
      {
        sample: 0,
        reason:
          `output "probs" at token 0 is ${Math.fround(Math.log(9))}, not a probability in [0, 1] ` +
          "(a reward model's output must be probabilities: end the graph in Softmax or Sigmoid)",
      },
    ]);
    expect(plain(result)[1]).toEqual([0]);

    const table = await modelFile("table.onnx", tableModel(TABLE));
    const classes = await scorer(onnxSource(table, { positive: 2 })).score([ids([1]), ids([2, 3])]);
    expect(classes.failures.map((f) => f.reason)).toEqual([
      `output "probs" of table.onnx has 2 classes (shape [2, 2, 2]); positive = 2 needs at least 3`,
      `output "probs" of table.onnx has 2 classes (shape [2, 2, 2]); positive = 2 needs at least 3`,
    ]);

    const rank4 = await modelFile(
      "rank4.onnx",
      encodeModel({
        node: [
          { opType: "Gather", input: ["table", "input_ids"], output: ["rows"] },
          { opType: "Unsqueeze", input: ["rows", "axes"], output: ["probs"] },
        ],
        initializer: [
          { name: "table", dims: [5, 2], dataType: FLOAT, floatData: TABLE.flat().map(() => 0.5) },
          { name: "axes", dims: [1], dataType: INT64, int64Data: [3] },
        ],
        input: [valueInfo("input_ids", INT64, ["batch", "tokens"])],
        output: [valueInfo("probs", FLOAT, ["batch", "tokens", 2, 1])],
      }),
    );
    const shaped = await scorer(onnxSource(rank4)).score([ids([1, 2, 3])]);
    expect(shaped.failures).toEqual([
      { sample: 0, reason: `output "probs" of rank4.onnx has shape [1, 3, 2, 1] for 1 response of up to 3 tokens; expected [1, 3, classes] or [1, 3]` },
    ]);
  });

  it("fails every sample, without throwing, when the model cannot be used", async () => {
    const table = await modelFile("table.onnx", tableModel(TABLE));
    const twoInputs = await modelFile(
      "two-inputs.onnx",
      encodeModel({
        node: [
          { opType: "Gather", input: ["table", "input_ids"], output: ["rows"] },
          { opType: "Add", input: ["rows", "bias"], output: ["probs"] },
        ],
        initializer: [{ name: "table", dims: [5, 2], dataType: FLOAT, floatData: TABLE.flat() }],
        input: [valueInfo("input_ids", INT64, ["batch", "tokens"]), valueInfo("bias", FLOAT, [2])],
        output: [valueInfo("probs", FLOAT, ["batch", "tokens", 2])],
      }),
    );
    const notOnnx = await modelFile("text.onnx", new TextEncoder().encode("not a model"));
    const cases: [PlanRewardSource, string | RegExp][] = [
      [onnxSource(join(dir, "absent.onnx")), `the ONNX model ${join(dir, "absent.onnx")} does not exist or cannot be read`],
      [onnxSource(notOnnx), /^could not open the ONNX model text\.onnx: /],
      [onnxSource(table, { input: "ids" }), `table.onnx has no input "ids" (its inputs: "input_ids")`],
      [onnxSource(table, { output: "scores" }), `table.onnx has no output "scores" (its outputs: "probs")`],
      [onnxSource(twoInputs), `two-inputs.onnx also needs input "bias"; roux feeds only the token ids ("input_ids") and an "attention_mask"`],
    ];
    for (const [source, reason] of cases) {
      const result = await scorer(source).score([ids([1]), ids([2])]);
      expect(result.failures.map((f) => f.sample)).toEqual([0, 1]);
      expect(result.failures[0]?.reason).toMatch(reason);
      expect(plain(result)).toEqual([[Number.NaN], [Number.NaN]]);
    }
  });

  it("refuses a process model whose step separator is not the run's", () => {
    expect(() => createOnnxScorer(onnxSource("/m.onnx", { name: "prm", steps: "\n\n" }))).toThrow(
      'reward source `prm`: the model\'s steps are separated by "\\n\\n", but the run splits steps on "\\n"; ' +
        "a process reward model must use the run's separator",
    );
    // An outcome model reads the last token only: its separator does not matter.
    expect(() => createOnnxScorer(onnxSource("/m.onnx", { granularity: "outcome", steps: "\n\n" }))).not.toThrow();
  });

  it("close() releases the session; score() after close() rejects", async () => {
    const path = await modelFile("table.onnx", tableModel(TABLE));
    const js = createOnnxScorer(onnxSource(path));
    expect((await js.score([ids([1])])).failures).toEqual([]);
    await js.close();
    await expect(js.score([ids([1])])).rejects.toThrow(/score\(\) after close\(\)/);
  });
});

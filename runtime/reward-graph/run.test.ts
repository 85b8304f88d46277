import { describe, expect, it } from "vitest";
import { planOf, recipe } from "../../compiler/plan/testing.js";
import type { Plan, RewardSource, RlStage } from "../../plan/plan.js";
import { minFormRewards } from "../ops/min_form.js";
import { f32, rolloutsFromSteps } from "../ops/testing.js";
import type { RewardScorer, ScoringSample } from "../rewards/source.js";
import { BatchError, readBatch } from "./batch.js";
import { RewardGraphError } from "./errors.js";
import { batchTokenizer, packBatch } from "./pack-batch.js";
import { groupResponses, type ResponseResult } from "./responses.js";
import { rlStages, runRewardGraph, type RewardGraphOptions, type RewardGraphResult } from "./run.js";
import { readStageGraph } from "./stage-graph.js";

// Sources of a test recipe (compiler/plan/testing.ts): `correct` (outcome, {0, 1}) and `steps`
// (process, {0, 1}); EXTRA adds a [0, 1] outcome score and a token reward.
const EXTRA = `reward score : outcome = js("score.js", "f") { range = 0..1 }
reward tok : token = js("tok.js", "f") { range = 0..1 }`;

function stage(body: string): { plan: Plan; rl: RlStage } {
  const plan = planOf(recipe(body, EXTRA));
  const [rl] = rlStages(plan);
  if (rl === undefined) throw new Error("the test recipe has no RL stage");
  return { plan, rl };
}

type Rewards = Record<string, number | number[]>;

/** A batch of `groups` x G text responses ("1\n2" is 3 tokens, 2 steps) with their rewards. */
function batch(groups: { text: string; rewards?: Rewards; [key: string]: unknown }[][]) {
  return { groups: groups.map((responses) => ({ prompt: "1+1", answer: "2", responses })) };
}

/** The stage's graph on a batch, as `roux rewards` runs it. */
async function runBatch(plan: Plan, rl: RlStage, json: unknown, options: Partial<RewardGraphOptions> = {}) {
  return runRewardGraph(readStageGraph(plan, rl), packBatch(readBatch(json), batchTokenizer(plan)), { step: 0, ...options });
}

async function run(body: string, groups: Parameters<typeof batch>[0], options: Partial<RewardGraphOptions> = {}) {
  const { plan, rl } = stage(body);
  return runBatch(plan, rl, batch(groups), options);
}

/** The responses of group `g`. */
function responses(result: RewardGraphResult, g = 0): ResponseResult[] {
  return groupResponses(result, g);
}

/** Response `i` of group `g`. */
function response(result: RewardGraphResult, i = 0, g = 0): ResponseResult {
  const r = responses(result, g)[i];
  if (r === undefined) throw new Error(`group ${g} has no response ${i}`);
  return r;
}

const near = (values: readonly number[] | Float32Array) => Array.from(values, (x) => expect.closeTo(x, 5));

describe("reward expressions", () => {
  it("evaluates + - * neg, each_step and clip step by step", async () => {
    // steps [1, 0] (2 tokens then 1), correct 1: -steps + 2 * each_step(correct) = [1, 2], clipped to [1, 1.5]
    const result = await run("  reward = clip(-steps + 2 * each_step(correct), 0, 1.5)\n  credit = sum_form\n  advantage = whiten", [
      [{ text: "1\n2", rewards: { steps: [1, 0], correct: 1 } }],
    ]);
    const r = response(result);
    expect(Array.from(r.reward as Float32Array)).toEqual([1, 1.5]);
    // sum-form returns, gamma 1: [2.5, 2.5, 1.5] on the tokens of steps 0, 0, 1
    expect(Array.from(r.returns)).toEqual([2.5, 2.5, 1.5]);
  });

  it("thresholds an outcome for the gate", async () => {
    // threshold(score, 0.5): 0.7 -> 1, 0.2 -> 0; gate: 1 + mean(steps) = 1.5, and 0
    const result = await run("  reward = gate(steps, on = threshold(score, 0.5))", [
      [
        { text: "1\n2", rewards: { steps: [1, 0], score: 0.7 } },
        { text: "3", rewards: { steps: [1], score: 0.2 } },
      ],
    ]);
    expect(responses(result).map((r) => r.reward)).toEqual([1.5, 0]);
  });

  it("lands at_end(...) after the min-form weighting (docs/algorithms.md §4)", async () => {
    const steps = [0, 1, 1];
    const result = await run("  reward = 0.5 * at_end(correct) + 2 * steps - 1\n  credit = min_form\n  advantage = whiten", [
      [{ text: "1\n2\n3", rewards: { steps, correct: 1 } }],
    ]);
    const r = response(result);
    // The expression's value puts 0.5 on the last step: [-1, 1, 1.5]
    expect(Array.from(r.reward as Float32Array)).toEqual([-1, 1, 1.5]);
    // The weights are those of pr = [-1, 1, 1] alone, and 0.5 is added afterwards.
    // A missing weight is NaN, which no return matches.
    const [w0 = NaN, w1 = NaN, w2 = NaN] = minFormRewards(f32([-1, 1, 1]), rolloutsFromSteps(1, [[2, 2, 1]]), 0.1);
    const last = w2 + 0.5;
    expect(Array.from(r.returns)).toEqual(near([w0 + w1 + last, w0 + w1 + last, w1 + last, w1 + last, last]));
  });

  it("credits an at_end(...) alone as the outcome on the last step", async () => {
    // pr = 0 everywhere: the softmin weights are 1/3 and w pr = 0; 1 lands on the last step.
    const result = await run("  reward = at_end(correct)\n  credit = min_form\n  advantage = whiten", [[{ text: "1\n2\n3", rewards: { correct: 1 } }]]);
    expect(Array.from(response(result).returns)).toEqual([1, 1, 1, 1, 1]);
  });

  it("adds at_end(...) outside the min with strict min-form", async () => {
    // min over later steps of 2 * steps - 1 = [1, -1, 1]: [-1, -1, 1]; + correct = 1
    const result = await run("  reward = 2 * steps - 1 + at_end(correct)\n  credit = min_form(strict = true)\n  advantage = whiten", [
      [{ text: "1\n2\n3", rewards: { steps: [1, 0, 1], correct: 1 } }],
    ]);
    expect(Array.from(response(result).returns)).toEqual([0, 0, 0, 0, 2]);
  });

  it("credits a token reward one step per token", async () => {
    const result = await run("  reward = 2 * tok\n  credit = sum_form\n  advantage = whiten", [[{ text: "1\n2", rewards: { tok: [0.5, 0, 0.25] } }]]);
    const r = response(result);
    expect(Array.from(r.reward as Float32Array)).toEqual([1, 0, 0.5]);
    // each token is a step: suffix sums 1.5, 0.5, 0.5; the reported steps are still the text's
    expect(Array.from(r.returns)).toEqual([1.5, 0.5, 0.5]);
    expect(r.stepEnds).toEqual([1, 2]);
  });

  it("sums a token reward for outcome credit", async () => {
    const result = await run("  reward = tok", [
      [
        { text: "1\n2", rewards: { tok: [0.5, 0, 0.25] } },
        { text: "3", rewards: { tok: [0.25] } },
      ],
    ]);
    expect(responses(result).map((r) => r.returns[0])).toEqual([0.75, 0.25]);
  });
});

describe("filters, baselines and metrics", () => {
  it("reports groups left with a single response", async () => {
    const result = await run("  reward = prof(outcome = correct, process = steps, remove = 1)", [
      [
        { text: "1", rewards: { correct: 1, steps: [1] } },
        { text: "2", rewards: { correct: 0, steps: [1] } },
      ],
    ]);
    expect(responses(result).map((r) => r.kept)).toEqual([true, false]);
    expect(result.metrics.singleRowGroups).toBe(1);
    expect(result.warnings).toEqual([
      "the batch's groups have 2 responses, and stage `rl` samples 4 per prompt (group = 4): group statistics and PROF's removals are those of 2",
      "1 group(s) kept a single response, whose advantages are 0 (docs/algorithms.md §1)",
    ]);
  });

  it("reports the KL and the entropy as the loss aggregates them, and CHORD's mu at the step", async () => {
    const body = `  reward = correct
  loss = ppo { kl = k1(0.1, ref = warmup) }
  expert = chord { data = demos, mu = linear(1.0 -> 0.0, over = 100 steps), ratio = 20% }`;
    const responses = [
      { text: "1\n2", rewards: { correct: 1 }, logprobs: [-1, -2, -3], ref_logprobs: [-1, -1, -1], entropy: [1, 2, 3] },
      { text: "3", rewards: { correct: 0 }, logprobs: [-0.5], ref_logprobs: [-1], entropy: [2] },
    ];
    const result = await run(body, [responses], { step: 25 });
    // k1 = logp - logp_ref: [0, -1, -2] and [0.5]; token mean over 4 tokens: -2.5 / 4
    expect(result.metrics.kl).toBeCloseTo(-0.625, 6);
    expect(result.metrics.entropy).toBeCloseTo(2, 6);
    expect(result.metrics.chordMu).toBeCloseTo(0.75, 12);
    expect(result.metrics.mixWeight).toBeUndefined();
  });

  it("reports a mix weight, and warns when a schedule is in epochs", async () => {
    const mix = await run(
      "  reward = correct\n  expert = mix { data = demos, weight = cosine(1.0 -> 0.0, over = 100 steps) }",
      [
        [
          { text: "1", rewards: { correct: 1 } },
          { text: "2", rewards: { correct: 0 } },
        ],
      ],
      { step: 100 },
    );
    expect(mix.metrics.mixWeight).toBe(0);
    const epochs = await run("  reward = correct\n  expert = chord { data = demos, mu = linear(1.0 -> 0.0, over = 2 epochs) }", [
      [
        { text: "1", rewards: { correct: 1 } },
        { text: "2", rewards: { correct: 0 } },
      ],
    ]);
    expect(epochs.metrics.chordMu).toBeUndefined();
    expect(epochs.warnings).toContain("CHORD's mu is scheduled in epochs, which need the dataset's size; it is not reported");
  });
});

describe("scoring", () => {
  function fakeScorer(values: (sample: ScoringSample) => number[], seen: ScoringSample[][], closed: string[]) {
    return (source: RewardSource): RewardScorer => ({
      source,
      async score(samples) {
        seen.push([...samples]);
        return { values: samples.map((s) => Float32Array.from(values(s))), failures: [] };
      },
      async close() {
        closed.push(source.name);
      },
    });
  }

  it("scores only the responses the batch gives no value for, then closes the scorer", async () => {
    const seen: ScoringSample[][] = [];
    const closed: string[] = [];
    const createScorer = fakeScorer((s) => [s.response === "2" ? 1 : 0], seen, closed);
    const result = await run("  reward = correct", [[{ text: "1", rewards: { correct: 1 } }, { text: "2" }, { text: "3" }]], { createScorer });
    expect(responses(result).map((r) => r.rewards.get("correct"))).toEqual([1, 1, 0]);
    expect(seen).toEqual([
      [
        { prompt: "1+1", answer: "2", response: "2", tokens: [2], stepEnds: [0] },
        { prompt: "1+1", answer: "2", response: "3", tokens: [3], stepEnds: [0] },
      ],
    ]);
    expect(closed).toEqual(["correct"]);
  });

  it("reports a failed sample and a scored value of the wrong length", async () => {
    const failing = (source: RewardSource): RewardScorer => ({
      source,
      score: async (samples) => ({ values: samples.map(() => f32([0])), failures: [{ sample: 1, reason: "timed out" }] }),
      close: async () => {},
    });
    await expect(run("  reward = correct", [[{ text: "1" }, { text: "2" }]], { createScorer: failing })).rejects.toThrow(
      "groups[0].responses[1]: scoring `correct` failed: timed out",
    );
    const short = fakeScorer(() => [1], [], []);
    await expect(run("  reward = steps\n  credit = sum_form", [[{ text: "1\n2" }, { text: "2" }]], { createScorer: short })).rejects.toThrow(
      "groups[0].responses[0] (scored by `steps`): 1 values, but the response has 2 steps (step_ends [1,2]); `steps` is a process reward: one value per step",
    );
  });

  it("without a scorer, names the reward the batch must give", async () => {
    await expect(run("  reward = correct", [[{ text: "1" }, { text: "2", rewards: { correct: 1 } }]])).rejects.toThrow(
      new BatchError(
        "groups[0].responses[0].rewards: `correct` is not given, and roux rewards cannot score it yet; give `rewards.correct` (a number) for every response",
      ),
    );
  });
});

describe("batch errors", () => {
  const twoSteps = { text: "1\n2", rewards: { correct: 1, steps: [1, 0] } };

  it("names the response and reward of a value of the wrong length or kind", async () => {
    await expect(
      run("  reward = at_end(correct) + steps\n  credit = sum_form", [[{ text: "1\n2", rewards: { correct: 1, steps: [1, 0, 1] } }]]),
    ).rejects.toThrow(
      "groups[0].responses[0].rewards.steps: 3 values, but the response has 2 steps (step_ends [1,2]); `steps` is a process reward: one value per step",
    );
    await expect(run("  reward = correct", [[{ text: "1", rewards: { correct: [1] } }]])).rejects.toThrow(
      "groups[0].responses[0].rewards.correct: `correct` is an outcome reward: give one number, not a list",
    );
    await expect(run("  reward = tok\n  credit = sum_form", [[{ text: "1\n2", rewards: { tok: 1 } }]])).rejects.toThrow(
      "groups[0].responses[0].rewards.tok: `tok` is a token reward: give a list of 3 values (one per token), not a number",
    );
  });

  it("refuses a given value outside its source's declared range, naming the response, the value and the range", async () => {
    await expect(run("  reward = at_end(correct) + steps\n  credit = sum_form", [[{ text: "1\n2", rewards: { correct: 1, steps: [5, -3] } }]])).rejects.toThrow(
      "groups[0].responses[0].rewards.steps[0]: 5 is outside `steps`'s declared range 0..1",
    );
    await expect(
      run("  reward = score", [
        [
          { text: "1", rewards: { score: 0.5 } },
          { text: "2", rewards: { score: -0.25 } },
        ],
      ]),
    ).rejects.toThrow("groups[0].responses[1].rewards.score: -0.25 is outside `score`'s declared range 0..1");
    // Not finite, as a caller other than the batch's JSON could give.
    const { plan, rl } = stage("  reward = score");
    const packed = packBatch(readBatch(batch([[{ text: "1", rewards: { score: 0 } }]])), batchTokenizer(plan));
    const given = { ...packed, given: [new Map([["score", Number.NaN]])] };
    await expect(runRewardGraph(readStageGraph(plan, rl), given, { step: 0 })).rejects.toThrow(
      "groups[0].responses[0].rewards.score: NaN is outside `score`'s declared range 0..1",
    );
  });

  it("refuses a reward the stage does not score, listing the ones it does", async () => {
    await expect(run("  reward = correct", [[{ text: "1", rewards: { correct: 1, corect: 1 } }]])).rejects.toThrow(
      "groups[0].responses[0].rewards: stage `rl` has no reward `corect`; its rewards are `correct`",
    );
  });

  it("refuses a non-binary outcome where PROF, ReNorm or the gate needs one", async () => {
    await expect(
      run("  reward = prof(outcome = correct, process = steps, remove = 1)", [[twoSteps, { text: "2", rewards: { correct: 0.5, steps: [1] } }]]),
    ).rejects.toThrow("groups[0].responses[1]: PROF needs a binary outcome (0 or 1), and `correct` is 0.5 here");
    await expect(
      run("  reward = renorm(process = steps, outcome = correct)\n  credit = sum_form", [[{ text: "1", rewards: { correct: 0.5, steps: [1] } }]]),
    ).rejects.toThrow("groups[0].responses[0]: ReNorm needs a binary outcome (0 or 1), and `correct` is 0.5 here");
  });

  it("needs the entropy for EMPG, and per-token inputs for all responses or none", async () => {
    await expect(run("  reward = correct\n  advantage = group_norm |> empg", [[{ text: "1", rewards: { correct: 1 } }]])).rejects.toThrow(
      "the stage's advantage uses empg, which needs `entropy` (one value per token) for every response",
    );
    await expect(
      run("  reward = correct", [
        [
          { text: "1", rewards: { correct: 1 }, entropy: [1] },
          { text: "2", rewards: { correct: 0 } },
        ],
      ]),
    ).rejects.toThrow("groups[0].responses[1]: `entropy` is given for some responses but not this one; give it for every response or none");
  });

  it("checks tokens, text and step ends against the tokenizer", async () => {
    await expect(run("  reward = correct", [[{ text: "1+x", rewards: { correct: 1 } }]])).rejects.toThrow(
      'groups[0].responses[0].text: character "x" (U+0078) at index 2 is not in the tokenizer\'s alphabet',
    );
    const { plan, rl } = stage("  reward = correct");
    const given = (response: object) => runBatch(plan, rl, { groups: [{ responses: [{ rewards: { correct: 1 }, ...response }] }] });
    await expect(given({ tokens: [1, 99] })).rejects.toThrow("groups[0].responses[0].tokens: token id 99 is outside the vocabulary (ids 0 to 25)");
    await expect(given({ text: "12", step_ends: [0] })).rejects.toThrow("groups[0].responses[0].step_ends: the last step must end at the last token, 1");
    await expect(given({ text: "12", step_ends: [1, 1] })).rejects.toThrow("groups[0].responses[0].step_ends[1]: 1 is not a token index after 1 and below 2");
    await expect(given({ text: "12", entropy: [1] })).rejects.toThrow(
      "groups[0].responses[0].entropy: 1 values, but the response has 2 tokens (one value per token)",
    );
    // an empty response has no step
    const empty = await given({ text: "" });
    expect(response(empty)).toMatchObject({ stepEnds: [], rewards: new Map([["correct", 1]]) });
  });
});

describe("readBatch", () => {
  it("names the path of a value of the wrong shape", () => {
    expect(() => readBatch([])).toThrow("the batch: expected an object, found a list");
    expect(() => readBatch({ groups: [] })).toThrow("groups: the batch has no group");
    expect(() => readBatch({ groups: [{ responses: [{ text: "1", reward: {} }] }] })).toThrow(
      "groups[0].responses[0]: unknown key `reward` (the keys are `text`, `tokens`, `step_ends`, `rewards`, `logprobs`, `ref_logprobs`, `entropy`)",
    );
    expect(() => readBatch({ groups: [{ responses: [{ text: "1", tokens: [1] }] }] })).toThrow(
      "groups[0].responses[0]: give the response as `text` (a string) or as `tokens` (a list of token ids), not both",
    );
    expect(() => readBatch({ groups: [{ responses: [{}] }] })).toThrow("not neither");
    expect(() => readBatch({ groups: [{ responses: [{ tokens: [1.5] }] }] })).toThrow("groups[0].responses[0].tokens[0]: expected an integer, found 1.5");
    expect(() => readBatch({ groups: [{ responses: [{ text: "1", rewards: { c: "1" } }] }] })).toThrow(
      'groups[0].responses[0].rewards.c: expected a number, found the string "1"',
    );
    expect(() => readBatch({ groups: [{ responses: [{ text: "1" }] }, { responses: [{ text: "1" }, { text: "2" }] }] })).toThrow(
      "groups[1].responses: 2 responses, but groups[0] has 1; every group must have the same number of responses",
    );
  });
});

describe("limitations", () => {
  it("refuses a plan that breaks a rule of the plan (plan/check-plan.ts), such as nested PROF filters", async () => {
    await expect(
      run("  reward = prof(outcome = prof(outcome = correct, process = steps, remove = 1), process = steps, remove = 1)", [
        [{ text: "1", rewards: { correct: 1, steps: [1] } }],
      ]),
    ).rejects.toThrow(
      new RewardGraphError(
        "the plan breaks a rule the runtime relies on:\n" +
          "  stage `rl`, node `filter_2`: stage `rl` has 2 PROF filters (filter the stage's reward with one `prof(...)`)",
      ),
    );
  });
});

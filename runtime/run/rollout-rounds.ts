/**
 * The rollouts one RL step trains on (docs/algorithms.md §0, §1.10): G responses for
 * each of the step's prompts, each round scored (§0 step 1, the reward graph's `scoreRewards`)
 * so that its groups can be judged. With dynamic sampling, rounds of newly drawn prompts replace
 * the groups whose scores all agree (refill.ts). The step then trains on the groups kept, with
 * the scores computed here handed to its reward graph as given values, so no response is scored
 * twice.
 *
 * Every draw comes from the run's seeded streams (seeds.ts): the first round's prompts and
 * samples are those of a step without dynamic sampling, and the extra rounds have streams of
 * their own, one per step, so a resumed run samples what the uninterrupted one did.
 */
import { zeroSignalFraction } from "../ops/zero-signal.js";
import type { Sequence } from "../policy/sequence.js";
import { rowValues } from "../reward-graph/responses.js";
import { packSampled, type GivenRewards } from "../reward-graph/rollouts.js";
import { moments, scoreRewards } from "../reward-graph/run.js";
import type { StageGraph } from "../reward-graph/stage-graph.js";
import type { Rng } from "../ops/rng.js";
import type { TokenizedExample } from "./datasets.js";
import { refill, type Round } from "./refill.js";
import { examplesOf, type Session } from "./session.js";
import { refillExamples, stepExamples, type StageShape } from "./stage-clock.js";
import { streamRng } from "./seeds.js";

/** One prompt's group: its example, its G responses as sampled, and their scores. */
export interface SampledGroup {
  readonly example: TokenizedExample;
  readonly sequences: readonly Sequence[];
  /** Each response's tokens without its end-of-sequence token: what rewards read. */
  readonly texts: readonly (readonly number[])[];
  /** Each response's score per reward source, as the reward graph takes them given. */
  readonly given: readonly GivenRewards[];
}

export interface StepRollouts {
  /** The groups the step trains on, in the order drawn. */
  readonly groups: readonly SampledGroup[];
  /** The share of the first round's groups whose scores all agree. */
  readonly zeroSignalFrac: number;
  /**
   * With dynamic sampling: the rounds sampled after the first, whether the cap stopped them, and
   * the mean reward of the first round, the step's own prompts as drawn (the batch trained on is
   * chosen for disagreeing rewards, so its mean is not the policy's).
   */
  readonly refill: { readonly rounds: number; readonly capped: boolean; readonly sampledReward: number } | undefined;
  /** Tokens sampled in every round, and the wall time in the sampler and in scoring. */
  readonly sampledTokens: number;
  readonly sampleSeconds: number;
  readonly scoreSeconds: number;
}

export async function stepRollouts(session: Session, graph: StageGraph, stageIndex: number, shape: StageShape, step: number): Promise<StepRollouts> {
  const seed = session.plan.settings.seed;
  const examples = examplesOf(session, shape.data);
  const chosen = stepExamples(examples, shape.rowsPerStep, step, seed, stageIndex, "order");
  const timing = { sample: 0, score: 0, tokens: 0 };
  const round = (prompts: readonly TokenizedExample[], rng: Rng) => sampleRound(session, graph, step, prompts, rng, timing);
  const first = await round(chosen, streamRng(seed, stageIndex, step, "sample"));
  const dynamic = graph.stage.dynamic_sampling;
  let groups = first.groups;
  let refilled: StepRollouts["refill"];
  if (dynamic !== null) {
    // One stream for every extra round of the step: each round's draws follow the last one's.
    const rng = streamRng(seed, stageIndex, step, "refill-sample");
    const result = await refill(first, dynamic.max_refills, (r) => round(refillExamples(examples, chosen, chosen.length, r, step, seed, stageIndex), rng));
    groups = result.groups;
    refilled = { rounds: result.refills, capped: result.capped, sampledReward: first.reward };
  }
  return {
    groups,
    zeroSignalFrac: zeroSignalFraction(first.zeroSignal),
    refill: refilled,
    sampledTokens: timing.tokens,
    sampleSeconds: timing.sample,
    scoreSeconds: timing.score,
  };
}

/** G responses to each prompt, sampled from the current policy, and scored. */
async function sampleRound(
  session: Session,
  graph: StageGraph,
  step: number,
  prompts: readonly TokenizedExample[],
  rng: Rng,
  timing: { sample: number; score: number; tokens: number },
): Promise<Round<SampledGroup> & { readonly reward: number }> {
  const { engine, arch, tokenizer } = session;
  const { stage, sample } = graph;
  const G = stage.group;
  let started = performance.now();
  const sequences = await session.sampler.sample(
    engine.weights(),
    prompts.flatMap((e) => Array.from({ length: G }, () => e.promptIds)),
    { temperature: sample.temperature, topP: sample.top_p, maxTokens: sample.max_tokens, rng },
  );
  timing.sample += (performance.now() - started) / 1000;
  timing.tokens += sequences.reduce((n, s) => n + s.response.length, 0);

  started = performance.now();
  const texts = sequences.map((s) => s.response.slice(0, textLength(s, arch.eos)));
  const packed = packSampled(
    G,
    texts.map((tokens, row) => {
      const example = prompts[Math.floor(row / G)]!;
      return { prompt: example.prompt, answer: example.answer, tokens };
    }),
    tokenizer,
  );
  const scored = await scoreRewards(graph, packed, { step, createScorer: (source) => session.scorers.get(source) });
  const given = texts.map(
    (_, row): GivenRewards =>
      new Map(
        [...scored.scored].map(([name, value]) => {
          const values = rowValues(value, packed.rollouts, row);
          return [name, value.granularity === "outcome" ? values[0]! : Array.from(values)];
        }),
      ),
  );
  timing.score += (performance.now() - started) / 1000;
  return {
    groups: prompts.map((example, g) => ({
      example,
      sequences: sequences.slice(g * G, (g + 1) * G),
      texts: texts.slice(g * G, (g + 1) * G),
      given: given.slice(g * G, (g + 1) * G),
    })),
    zeroSignal: scored.zeroSignal,
    reward: moments(scored.combined.values).mean,
  };
}

/** Response tokens before the eos, if the response has one. */
function textLength(s: Sequence, eos: number): number {
  const n = s.response.length;
  return n > 0 && s.response[n - 1] === eos ? n - 1 : n;
}

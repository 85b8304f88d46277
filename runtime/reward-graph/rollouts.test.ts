// The two ways into the reward graph: an RL step's sampled responses and `roux rewards`' batch.
import { describe, expect, it } from "vitest";
import { createTokenizer } from "../tokenizer.js";
import { readBatch } from "./batch.js";
import { packBatch } from "./pack-batch.js";
import { packSampled } from "./rollouts.js";

// a = 0, b = 1, "\n" = 2 (the step separator)
const tokenizer = createTokenizer({ kind: "chars", alphabet: "ab\n" });
const GROUPS = [
  { prompt: "p0", answer: "a0", responses: [[0, 2, 1], [1]] },
  { prompt: "p1", answer: null, responses: [[], [0, 1, 2]] },
];
const entropyOf = (tokens: number[]) => tokens.map((t) => t / 4);

describe("packSampled", () => {
  const sampled = packSampled(
    2,
    GROUPS.flatMap(({ prompt, answer, responses }) => responses.map((tokens) => ({ prompt, answer, tokens }))),
    tokenizer,
    GROUPS.flatMap(({ responses }) => responses.map(entropyOf)),
  );

  it("decodes the responses and splits their steps at the separator", () => {
    expect(sampled.samples.map((s) => [s.response, s.stepEnds])).toEqual([
      ["a\nb", [1, 2]],
      ["b", [0]],
      ["", []],
      ["ab\n", [2]],
    ]);
    expect(Array.from(sampled.rollouts.tokenOffsets)).toEqual([0, 3, 4, 4, 7]);
    expect(Array.from(sampled.rollouts.stepEnds)).toEqual([1, 2, 3, 6]);
    expect(Array.from(sampled.entropy ?? [])).toEqual([0, 0.5, 0.25, 0.25, 0, 0.25, 0.5]);
    expect(sampled.given).toBeUndefined();
  });

  it("packs as roux rewards packs the same responses given as tokens, so a step replays there", () => {
    const json = {
      groups: GROUPS.map(({ prompt, answer, responses }) => ({
        prompt,
        answer,
        responses: responses.map((tokens) => ({ tokens, entropy: entropyOf(tokens) })),
      })),
    };
    const batch = packBatch(readBatch(json), tokenizer);
    expect(sampled.rollouts).toEqual(batch.rollouts);
    expect(sampled.samples).toEqual(batch.samples);
    expect(sampled.entropy).toEqual(batch.entropy);
  });
});

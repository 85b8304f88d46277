import { describe, expect, it } from "vitest";
import type { RewardSourceKind } from "../../plan/plan.js";
import type { ScoringSample } from "./source.js";
import { rewardSource, sample } from "./testing.js";
import { createVerifierScorer } from "./verifiers.js";

/** Each response with its answer, scored by the verifier: the values, a failure's reason in place. */
async function verify(kind: RewardSourceKind, cases: [response: string, answer: string | null][]): Promise<(number | string)[]> {
  const samples: ScoringSample[] = cases.map(([response, answer]) => sample(response, { answer }));
  const result = await createVerifierScorer(rewardSource(kind)).score(samples);
  const failed = new Map(result.failures.map((f) => [f.sample, f.reason]));
  return result.values.map((values, i) => failed.get(i) ?? values[0] ?? NaN);
}

describe("exact_match", () => {
  const extract = (pattern: string): RewardSourceKind => ({ kind: "exact_match", extract: pattern });

  it("compares the first group of the first match with the answer, both trimmed", async () => {
    expect(
      await verify(extract("answer: (.*)"), [
        ["answer: 42", "42"],
        ["so the answer:   42  ", " 42\n"], // whitespace around either side does not count
        ["answer: 41", "42"],
        ["Answer: 42", "42"], // case counts
        ["no answer here", "42"], // no match
        ["answer: 4 2", "42"], // inner whitespace counts
      ]),
    ).toEqual([1, 1, 0, 0, 0, 0]);
  });

  it("judges by the first of several matches", async () => {
    expect(
      await verify(extract("answer: (\\d+)"), [
        ["answer: 4\nanswer: 42", "42"],
        ["answer: 42\nanswer: 4", "42"],
      ]),
    ).toEqual([0, 1]);
  });

  it("scores 0 when the group takes no part in the match", async () => {
    expect(
      await verify(extract("answer(?:: (\\d+))?"), [
        ["answer", "42"],
        ["answer: 42", "42"],
      ]),
    ).toEqual([0, 1]);
  });

  it("fails samples it cannot judge: no answer, a pattern without a group, a bad pattern", async () => {
    expect(
      await verify(extract("answer: (\\d+)"), [
        ["answer: 1", null],
        ["answer: 1", "1"],
      ]),
    ).toEqual(["exact_match: the example has no answer to compare with", 1]);
    const noGroup = await verify(extract("answer: \\d+"), [
      ["answer: 1", "1"],
      ["x", "1"],
    ]);
    expect(noGroup).toEqual(
      [0, 1].map(
        () => 'exact_match: the extract pattern "answer: \\\\d+" has no capturing group; put the answer\'s part in parentheses, e.g. "answer: (-?\\\\d+)"',
      ),
    );
    const bad = await verify(extract("answer: (?P<n>\\d+)"), [["answer: 1", "1"]]);
    expect(bad).toEqual([
      'exact_match: invalid regular expression "answer: (?P<n>\\\\d+)": `(?P<name>...)` is Python\'s named group; JavaScript writes `(?<name>...)`',
    ]);
  });
});

describe("numeric_match", () => {
  const numeric = (tol: number, pattern = "= (\\S+)"): RewardSourceKind => ({ kind: "numeric_match", extract: pattern, tol });

  it("compares numbers as written", async () => {
    expect(
      await verify(numeric(1e-6), [
        ["= 1,234", "1234"],
        ["= -3", "-3"],
        ["= 3", "-3"], // the sign counts
        ["= 2.50", "2.5"],
        ["= 3/4", "0.75"],
        ["= 0.3", "0.30000001"], // within 1e-6
        ["= 0.3", "0.300002"], // 2e-6 away
        ["= abc", "1"], // not a number
        ["nothing", "1"], // no match
      ]),
    ).toEqual([1, 1, 0, 1, 1, 1, 0, 0, 0]);
  });

  it("counts a difference of exactly tol as a match", async () => {
    // |2.5 - 2| = 0.5, exact in binary: at the boundary with tol 0.5, outside with a hair less.
    expect(
      await verify(numeric(0.5), [
        ["= 2.5", "2"],
        ["= 1.5", "2"],
        ["= 2.5001", "2"],
      ]),
    ).toEqual([1, 1, 0]);
    expect(await verify(numeric(0.4999), [["= 2.5", "2"]])).toEqual([0]);
    // 1.1 - 1 is 0.10000000000000009 in binary; the decimal inputs are 0.1 apart, so it matches.
    expect(
      await verify(numeric(0.1), [
        ["= 1.1", "1"],
        ["= 1.2", "1"],
        ["= -0.9", "-1"],
      ]),
    ).toEqual([1, 0, 1]);
  });

  it("fails a sample whose answer is missing or not a number", async () => {
    expect(
      await verify(numeric(0), [
        ["= 1", "one"],
        ["= 1", null],
      ]),
    ).toEqual(['numeric_match: the example\'s answer "one" is not a number', "numeric_match: the example has no answer to compare with"]);
  });
});

describe("regex_match", () => {
  it("is 1 when the pattern matches anywhere", async () => {
    const kind: RewardSourceKind = { kind: "regex_match", pattern: "\\bdone\\b" };
    expect(
      await verify(kind, [
        ["all done.", null],
        ["undone", null],
        ["", null],
      ]),
    ).toEqual([1, 0, 0]);
    const anchored: RewardSourceKind = { kind: "regex_match", pattern: "(?m)^answer: \\d+$" };
    expect(
      await verify(anchored, [
        ["work\nanswer: 3\n", null],
        ["answer: x", null],
      ]),
    ).toEqual([1, 0]);
  });

  it("fails every sample on a pattern that does not compile", async () => {
    const kind: RewardSourceKind = { kind: "regex_match", pattern: "(unclosed" };
    expect(
      await verify(kind, [
        ["a", null],
        ["b", null],
      ]),
    ).toEqual([
      'regex_match: invalid regular expression "(unclosed": Unterminated group',
      'regex_match: invalid regular expression "(unclosed": Unterminated group',
    ]);
  });
});

describe("createVerifierScorer", () => {
  it("returns one float per sample", async () => {
    const result = await createVerifierScorer(rewardSource({ kind: "regex_match", pattern: "a" })).score([sample("a"), sample("b")]);
    expect(result).toEqual({ values: [Float32Array.of(1), Float32Array.of(0)], failures: [] });
  });

  it("refuses a verifier declared other than outcome", () => {
    expect(() => createVerifierScorer(rewardSource({ kind: "regex_match", pattern: "a" }, { name: "fmt", granularity: "process" }))).toThrow(
      "reward source `fmt`: regex_match is an outcome reward, not process",
    );
  });
});

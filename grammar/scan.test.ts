import { describe, expect, it } from "vitest";
import { generatePair } from "../bench/generate.js";
import { mulberry32 } from "../runtime/ops/rng.js";
import { mutate } from "../test/mutate.js";
import { recipeFiles } from "../test/recipes.js";
import { Lexer } from "./chevrotain.js";
import { scanCommon } from "./scan.js";
import * as T from "./tokens.js";

/** The token definitions run by chevrotain: what the hand-written tokenizer must agree with. */
const reference = new Lexer(T.ALL_TOKENS, { positionTracking: "onlyStart" });

/** Whether `text` was scanned, failing when the scan differs from chevrotain's in any token or comment. */
function expectSameAsReference(text: string): boolean {
  const scanned = scanCommon(text);
  if (scanned === undefined) return false;
  const expected = reference.tokenize(text);
  expect(expected.errors).toEqual([]);
  expect(scanned.tokens).toEqual(expected.tokens);
  expect(scanned.comments).toEqual(expected.groups.comments ?? []);
  return true;
}

describe("the hand-written tokenizer", () => {
  it("scans every shipped recipe and the bench's generated one as chevrotain lexes them", () => {
    for (const { source } of recipeFiles()) {
      if (/\/\*|r"|"""/.test(source)) continue; // the kinds left to chevrotain
      expect(expectSameAsReference(source)).toBe(true);
    }
    expect(expectSameAsReference(generatePair(2_000).recipe)).toBe(true);
  });

  it("agrees with chevrotain on line ends, escapes, numbers, reserved words and punctuation", () => {
    const text =
      'recipe r "d\\"q\\\\"\r\nuse "x" as user\rlet as_ = 1_000.5e-3 + 20% - 3e-4 * 2 / 1 // c\n\n' +
      'stage s = a.b(c = [1, 2,], d = x..y) |> f -> g with { n = 3 steps } %<>:\t"é\u2028"\n';
    expect(expectSameAsReference(text)).toBe(true);
  });

  it("leaves to chevrotain what it does not scan", () => {
    for (const text of ['r"raw"', '"""\nx"""', "/* c */", "# c", '"open', '"a\\\nb"', "\uFEFFx", "a | b", "a @ b", "é"]) {
      expect(scanCommon(text)).toBeUndefined();
    }
  });

  it("agrees with chevrotain on 5000 mutated recipes whenever it scans them", () => {
    const random = mulberry32(20261207);
    const recipes = recipeFiles();
    let scanned = 0;
    for (let i = 0; i < 5000; i++) {
      const text = mutate(recipes[i % recipes.length]!.source, random);
      if (expectSameAsReference(text)) scanned++;
    }
    // The mutations must exercise the scanner, not only the fallback.
    expect(scanned).toBeGreaterThan(1000);
  });
});

import { describe, expect, it } from "vitest";
import { createTokenizer, TokenizerError } from "./tokenizer.js";

describe("chars tokenizer", () => {
  const arith = createTokenizer({ kind: "chars", alphabet: "0123456789+-*/()= \nanswer:" });

  it("numbers characters in alphabet order, from 0", () => {
    expect(arith.vocabSize).toBe(26);
    expect(arith.encode("3*4=12\n14")).toEqual([3, 12, 4, 16, 1, 2, 18, 1, 4]);
    expect(arith.encode("answer: 7")).toEqual([19, 20, 21, 22, 23, 24, 25, 17, 7]);
    expect(arith.encode("")).toEqual([]);
  });

  it("finds the step separator, \\n", () => {
    expect(arith.separator).toBe(18);
    expect(createTokenizer({ kind: "chars", alphabet: "ab" }).separator).toBeUndefined();
  });

  it("decodes what it encodes", () => {
    expect(arith.decode(arith.encode("2+3=5\nanswer: 5"))).toBe("2+3=5\nanswer: 5");
  });

  it("names a character outside the alphabet, and where it is", () => {
    expect(() => arith.encode("1+x")).toThrow(TokenizerError);
    expect(() => arith.encode("1+x")).toThrow('character "x" (U+0078) at index 2 is not in the tokenizer\'s alphabet "0123456789+-*/()= \\nanswer:"');
    expect(() => arith.encode("1\t2")).toThrow('character "\\t" (U+0009) at index 1');
  });

  it("refuses an id outside the vocabulary", () => {
    expect(() => arith.decode([3, 26])).toThrow("token id 26 is outside the vocabulary (ids 0 to 25)");
    expect(() => arith.decode([-1])).toThrow(TokenizerError);
  });

  it("counts code points, not UTF-16 units, and keeps a repeated character's first id", () => {
    const t = createTokenizer({ kind: "chars", alphabet: "a😀ba" });
    expect(t.vocabSize).toBe(4);
    expect(t.encode("😀ab")).toEqual([1, 0, 2]);
    expect(t.decode([3])).toBe("a");
    expect(() => t.encode("é")).toThrow('character "é" (U+00E9) at index 0');
  });
});

describe("bytes tokenizer", () => {
  const bytes = createTokenizer({ kind: "bytes" });

  it("gives the UTF-8 bytes, 256 ids, \\n = 10", () => {
    expect(bytes.vocabSize).toBe(256);
    expect(bytes.separator).toBe(10);
    expect(bytes.encode("a\né")).toEqual([97, 10, 0xc3, 0xa9]);
    expect(bytes.decode([97, 10, 0xc3, 0xa9])).toBe("a\né");
  });

  it("refuses an id above 255", () => {
    expect(() => bytes.decode([256])).toThrow("token id 256 is outside the vocabulary (ids 0 to 255)");
  });
});

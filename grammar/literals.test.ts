import { describe, expect, it } from "vitest";
import { decodeString } from "./literals.js";

describe("decodeString", () => {
  it("decodes each escape of docs/language.md §2 wherever it stands", () => {
    expect(decodeString('"\\n"').value).toBe("\n");
    expect(decodeString('"a\\tb\\"c\\\\d"').value).toBe('a\tb"c\\d');
    expect(decodeString('"\\u{41}\\u{1F600}x\\u{10FFFF}"').value).toBe("A\u{1F600}x\u{10FFFF}");
    expect(decodeString('"""\nline\\none"""').value).toBe("line\none");
  });

  it("reports a bad escape at its offset in the literal and leaves it out of the value", () => {
    expect(decodeString('"ab\\qc"')).toEqual({ value: "abc", problems: [{ offset: 3, length: 2, found: "\\q" }] });
    expect(decodeString('"\\u{110000}!"')).toEqual({ value: "{110000}!", problems: [{ offset: 1, length: 2, found: "\\u" }] });
    expect(decodeString('"\\u{1234567}"').problems).toEqual([{ offset: 1, length: 2, found: "\\u" }]);
    expect(decodeString('"\\u{zz}"').value).toBe("{zz}");
    expect(decodeString('"end\\', false)).toEqual({ value: "end", problems: [{ offset: 4, length: 1, found: "\\" }] });
  });

  it("keeps a megabyte of text between escapes whole", () => {
    const run = "x".repeat(1 << 20);
    const decoded = decodeString(`"${run}\\n${run}\\u{42}"`);
    expect(decoded.value).toBe(`${run}\n${run}B`);
    expect(decoded.problems).toEqual([]);
  });

  it("takes raw strings as they are", () => {
    expect(decodeString('r"\\d+\\q"')).toEqual({ value: "\\d+\\q", problems: [] });
  });
});

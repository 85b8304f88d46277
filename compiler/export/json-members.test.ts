import { describe, expect, it } from "vitest";
import { objectMembers } from "./json-members.js";

/** Each member as its key and its value's text. */
function members(text: string): [string, string][] {
  return objectMembers(text).map((m) => [m.key, text.slice(m.start, m.end)]);
}

describe("the members of a JSON object as spans of its text", () => {
  it("gives each value's text exactly as written, numbers by their digits", () => {
    expect(members('{"a": 84, "b":84.50,"c" : 1e3 , "d": -0.5E-2, "e": true, "f": null, "g": false}')).toEqual([
      ["a", "84"],
      ["b", "84.50"],
      ["c", "1e3"],
      ["d", "-0.5E-2"],
      ["e", "true"],
      ["f", "null"],
      ["g", "false"],
    ]);
    expect(members("{}")).toEqual([]);
    expect(members(" \t{ }\r")).toEqual([]);
  });

  it("passes over strings, nested objects and arrays whatever brackets and quotes they hold", () => {
    const text = String.raw`{"q": "a } \" ] { [", "n": {"x": [1, {"y": "}"}], "z": "\\"}, "l": [[], {}, "]"], "answer": 7}`;
    expect(members(text)).toEqual([
      ["q", String.raw`"a } \" ] { ["`],
      ["n", String.raw`{"x": [1, {"y": "}"}], "z": "\\"}`],
      ["l", '[[], {}, "]"]'],
      ["answer", "7"],
    ]);
  });

  it("decodes keys written with escapes, and keeps a key written twice as two members", () => {
    expect(members(String.raw`{"\u0061nswer": 1, "answer": 2, "a\"b": 3}`)).toEqual([
      ["answer", "1"],
      ["answer", "2"],
      ['a"b', "3"],
    ]);
  });

  it("throws on text that is no JSON object rather than guessing", () => {
    for (const text of ["[1, 2]", '"x"', '{"a" 1}', '{"a": 1', '{"a": 1} x', '{"a": "1}', '{"a": [1}', '{"a": nul}', "{a: 1}", ""]) {
      expect(() => objectMembers(text), text).toThrow(/^not a JSON object: expected /);
    }
  });

  it("scans a long row in one pass: a row of 200,000 members and one nested a hundred thousand deep", () => {
    // A quadratic scan (re-reading the rest of the row at each member or bracket) would take
    // minutes on these; the result is checked, not the time.
    const wide = `{${Array.from({ length: 200_000 }, (_, i) => `"k${i}": ${i}`).join(", ")}}`;
    const found = objectMembers(wide);
    expect(found).toHaveLength(200_000);
    expect(wide.slice(found.at(-1)!.start, found.at(-1)!.end)).toBe("199999");
    const deep = `{"a": ${"[".repeat(100_000)}${"]".repeat(100_000)}, "b": 2}`;
    expect(members(deep).map(([key]) => key)).toEqual(["a", "b"]);
  });
});

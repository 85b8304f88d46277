import { describe, expect, it } from "vitest";
import { AnswerTextError, answersAsText } from "./answer-text.js";

/** Each row's answer as a reader of the JSON gets it. */
function answers(text: string, key = "answer"): unknown[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => (JSON.parse(l) as Record<string, unknown>)[key]);
}

describe("a JSONL dataset with its answers written as text", () => {
  it("writes a column mixing integers and decimals as the file's text, so 84 stays 84 beside 84.5", () => {
    // datasets.load_dataset would type this column float64 and read the first answer as 84.0.
    const source = '{"question": "q1", "answer": 84}\n{"question": "q2", "answer": 84.5}\n';
    const copy = answersAsText(source, "answer", "math.jsonl");
    expect(answers(copy)).toEqual(["84", "84.5"]);
    expect(copy).toBe('{"question": "q1", "answer": "84"}\n{"question": "q2", "answer": "84.5"}\n');
  });

  it("keeps each number's own digits, a string as it is, and a null or missing answer as it is", () => {
    const rows = [
      '{"answer": 1e3, "q": 1}',
      '{"answer": -0.50}',
      '{"answer": "12"}',
      '{"answer": "a \\"quoted\\" 7"}',
      '{"answer": null}',
      '{"q": 3}',
      '{"answer": true}',
      '{"answer": [1, 2.0]}',
      '{"answer": {"n": 1}}',
    ];
    expect(answers(answersAsText(rows.join("\n"), "answer", "f.jsonl"))).toEqual([
      "1e3",
      "-0.50",
      "12",
      'a "quoted" 7',
      null,
      undefined,
      "true",
      "[1, 2.0]",
      '{"n": 1}',
    ]);
  });

  it("changes nothing but the answers: other keys, spacing, blank lines and line ends stay", () => {
    const source = '{"n": 84, "answer":  7 , "x": [84]}\r\n\n   \n{"answer":"7","n":1.0}';
    expect(answersAsText(source, "answer", "f.jsonl")).toBe('{"n": 84, "answer":  "7" , "x": [84]}\r\n\n   \n{"answer":"7","n":1.0}');
    expect(answersAsText(source, "n", "f.jsonl")).toBe('{"n": "84", "answer":  7 , "x": [84]}\r\n\n   \n{"answer":"7","n":"1.0"}');
  });

  it("writes every copy of a key a row repeats, whichever copy a reader keeps", () => {
    expect(answersAsText('{"answer": 1, "\\u0061nswer": 2.5}', "answer", "f.jsonl")).toBe('{"answer": "1", "\\u0061nswer": "2.5"}');
  });

  it("names the file and line of a row that is not a JSON object", () => {
    const bad = (text: string) => {
      try {
        answersAsText(text, "answer", "/data/math.jsonl");
      } catch (error) {
        expect(error).toBeInstanceOf(AnswerTextError);
        return (error as Error).message;
      }
      throw new Error("no error");
    };
    expect(bad('{"answer": 1}\n\n{"answer": 2,}\n')).toMatch(/^\/data\/math\.jsonl:3: not valid JSON \(.+\)$/);
    expect(bad('{"answer": 1}\n[1, 2]')).toBe("/data/math.jsonl:2: not a JSON object");
    expect(bad("84")).toBe("/data/math.jsonl:1: not a JSON object");
  });
});

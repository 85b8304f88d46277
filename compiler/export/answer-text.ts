/**
 * A JSONL dataset with each row's answer written as text: a number, boolean, object or array
 * becomes a JSON string of exactly the characters the file writes it with (`84` is `"84"`, `84.5`
 * is `"84.5"`, `1e3` is `"1e3"`), a string stays as it is, and a null or missing answer stays so.
 * Every other character of the file is kept.
 *
 * Trinity-RFT reads a dataset with `datasets.load_dataset` (trinity/buffer/reader/file_reader.py,
 * `TaskFileReader`), which gives each column one type from all its values: a column holding 84
 * and 84.5 is float64, so the 84 reaches the reward function as 84.0 and `exact_match` against
 * "84" fails where the local runtime compares the text. With the answers strings, the column is
 * text and each answer is what the file says.
 */
import { objectMembers } from "./json-members.js";

/** A row that is not a JSON object, by file and line. */
export class AnswerTextError extends Error {}

/** `text`, the JSONL file `file`, with the values of the key `answer` written as text. */
export function answersAsText(text: string, answer: string, file: string): string {
  return text
    .split("\n")
    .map((line, i) => answerLine(line, answer, `${file}:${i + 1}`))
    .join("\n");
}

function answerLine(line: string, answer: string, where: string): string {
  // A line of JSON whitespace holds no row (as compiler/outside/jsonl-rows.ts counts rows).
  if (/^[ \t\r]*$/.test(line)) return line;
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch (error) {
    throw new AnswerTextError(`${where}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof row !== "object" || row === null || Array.isArray(row)) throw new AnswerTextError(`${where}: not a JSON object`);
  let written = "";
  let from = 0;
  // Every member with the key: a reader that keeps the first or the last of a repeated key reads text.
  for (const { key, start, end } of objectMembers(line)) {
    if (key !== answer) continue;
    const value = line.slice(start, end);
    if (value.startsWith('"') || value === "null") continue;
    written += line.slice(from, start) + JSON.stringify(value);
    from = end;
  }
  return written + line.slice(from);
}

/**
 * Decoding of number and string literals. The lexer accepts a generous shape for both so that a
 * malformed literal is one diagnostic on one token; these functions say what is wrong with it.
 */
import { UNITS } from "./ast.js";

export type NumberDecoding = { ok: true; value: number; integer: boolean } | { ok: false; reason: string; help?: string };

const VALID_NUMBER = /^\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?(?:[eE][+-]?\d+)?$/;

/** Decodes a number literal's text (without a trailing `%`). */
export function decodeNumber(text: string): NumberDecoding {
  if (VALID_NUMBER.test(text)) {
    const value = Number(text.replaceAll("_", ""));
    if (!Number.isFinite(value)) return { ok: false, reason: "too large to represent" };
    return { ok: true, value, integer: !/[.eE]/.test(text) };
  }
  const [, digits, unit] = /^(\d[\d_.]*)([A-Za-z_]\w*)$/.exec(text) ?? [];
  if (digits !== undefined && unit !== undefined && (UNITS as readonly string[]).includes(unit)) {
    return {
      ok: false,
      reason: "a unit must be separated from its number",
      help: `write \`${digits} ${unit}\``,
    };
  }
  if (/__|_$|_\.|\._/.test(text)) {
    return { ok: false, reason: "`_` may only stand between digits", help: "write digit groups as `1_000`" };
  }
  if (/[eE][+-]?$/.test(text)) return { ok: false, reason: "the exponent has no digits", help: "write e.g. `3e-4`" };
  if (/^\d[\d_]*(?:\.\d[\d_]*)?[eE][+-]?\d*[^\d]/.test(text) || /^\d[\d_]*(?:\.\d[\d_]*)?[A-Za-z]/.test(text)) {
    return {
      ok: false,
      reason: "numbers are decimal digits with an optional fraction and exponent",
      help: "units and names go after a space: `200 steps`",
    };
  }
  return { ok: false, reason: "not a number" };
}

export interface StringProblem {
  /** Offset within the literal's text. */
  offset: number;
  length: number;
  found: string;
}

export interface StringDecoding {
  value: string;
  problems: StringProblem[];
}

/**
 * The escapes of docs/language.md §2: `\n \t \" \\ \u{HEX}`. The text between escapes is copied
 * in one slice per run, not a character at a time: a string can be megabytes long, and one
 * concatenation per character leaves a rope of a million pieces for the collector.
 */
function decodeEscapes(body: string, bodyOffset: number): StringDecoding {
  const pieces: string[] = [];
  const problems: StringProblem[] = [];
  let runStart = 0;
  for (let i = body.indexOf("\\"); i >= 0; i = body.indexOf("\\", runStart)) {
    pieces.push(body.slice(runStart, i));
    const next = body[i + 1];
    runStart = i + 2;
    if (next === "n") pieces.push("\n");
    else if (next === "t") pieces.push("\t");
    else if (next === '"') pieces.push('"');
    else if (next === "\\") pieces.push("\\");
    else if (next === "u") {
      const [sequence, hex] = /^\{([0-9A-Fa-f]{1,6})\}/.exec(body.slice(i + 2, i + 10)) ?? [];
      const codePoint = hex === undefined ? NaN : parseInt(hex, 16);
      if (sequence !== undefined && codePoint <= 0x10ffff) {
        pieces.push(String.fromCodePoint(codePoint));
        runStart = i + 2 + sequence.length;
      } else {
        problems.push({ offset: bodyOffset + i, length: 2, found: "\\u" });
      }
    } else {
      problems.push({ offset: bodyOffset + i, length: next === undefined ? 1 : 2, found: `\\${next ?? ""}` });
    }
  }
  pieces.push(body.slice(runStart));
  return { value: pieces.join(""), problems };
}

export type StringStyle = "plain" | "raw" | "multiline";

export function stringStyle(text: string): StringStyle {
  if (text.startsWith('"""')) return "multiline";
  if (text.startsWith('r"')) return "raw";
  return "plain";
}

/**
 * Decodes a string literal's text, quotes included (an unterminated literal decodes up to where
 * it stops). Raw strings take no escapes; multi-line strings take escapes and drop one newline
 * right after the opening quotes, so the text can start on its own line.
 */
export function decodeString(text: string, terminated = true): StringDecoding {
  const style = stringStyle(text);
  if (style === "raw") return { value: text.slice(2, terminated ? -1 : undefined), problems: [] };
  if (style === "multiline") {
    let start = 3;
    if (text[start] === "\r") start++;
    if (text[start] === "\n") start++;
    return decodeEscapes(text.slice(start, terminated ? -3 : undefined), start);
  }
  return decodeEscapes(text.slice(1, terminated ? -1 : undefined), 1);
}

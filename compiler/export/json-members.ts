/**
 * The members of one JSON object as spans of its text: each key, decoded, with where its value's
 * text starts and ends. An export rewrites one value of a row in place (answer-text.ts) and keeps
 * every other character of the row, which parsing and writing it again would not: a number's
 * digits as the file writes them (`1e3`, `84.50`), the keys' order, the spacing.
 *
 * Linear in the text: the scan moves forward only, looking at each character once, or twice for
 * a key (whose escapes JSON.parse then decodes); a nested object or array is passed over by
 * counting brackets outside strings, a string by its closing quote. It expects text JSON.parse
 * accepts as an object; on anything else it throws rather than guesses.
 */

export interface JsonMember {
  /** The key, decoded (`"\u0061"` is `a`). */
  key: string;
  /** Where the value's text starts in the object's text, and the index just past its end. */
  start: number;
  end: number;
}

/** A number or a literal, matched where the value starts (JSON's number grammar). */
const SCALAR = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null/y;

/** The members of the object `text` holds, in the order the text writes them (a key written twice is two members). */
export function objectMembers(text: string): JsonMember[] {
  const members: JsonMember[] = [];
  let i = expect(text, skipSpace(text, 0), "{");
  i = skipSpace(text, i);
  if (text[i] === "}") return closed(text, i, members);
  for (;;) {
    if (text[i] !== '"') throw scanError(text, i, "a key");
    const keyEnd = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    const start = skipSpace(text, expect(text, skipSpace(text, keyEnd), ":"));
    const end = valueEnd(text, start);
    members.push({ key, start, end });
    i = skipSpace(text, end);
    if (text[i] === "}") return closed(text, i, members);
    i = skipSpace(text, expect(text, i, ","));
  }
}

/** The index just past the value that starts at `start`. */
function valueEnd(text: string, start: number): number {
  const c = text[start];
  if (c === '"') return stringEnd(text, start);
  if (c === "{" || c === "[") return containerEnd(text, start);
  SCALAR.lastIndex = start;
  if (SCALAR.test(text)) return SCALAR.lastIndex;
  throw scanError(text, start, "a value");
}

/** The index just past the closing quote of the string whose opening quote is at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === '"') return i + 1;
  }
  throw scanError(text, text.length, "the end of a string");
}

/** The index just past the bracket that closes the object or array opened at `start`. */
function containerEnd(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = stringEnd(text, i);
      continue;
    }
    if (c === "{" || c === "[") depth++;
    else if ((c === "}" || c === "]") && --depth === 0) return i + 1;
    i++;
  }
  throw scanError(text, text.length, "a closing bracket");
}

/** The members, once the object's closing brace at `at` is followed by nothing but whitespace. */
function closed(text: string, at: number, members: JsonMember[]): JsonMember[] {
  const after = skipSpace(text, at + 1);
  if (after !== text.length) throw scanError(text, after, "the end of the text");
  return members;
}

function expect(text: string, at: number, c: string): number {
  if (text[at] !== c) throw scanError(text, at, `\`${c}\``);
  return at + 1;
}

/** JSON's whitespace: space, tab, line feed, carriage return. */
function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  return i;
}

function scanError(text: string, at: number, wanted: string): Error {
  return new Error(`not a JSON object: expected ${wanted} at column ${at + 1}${at < text.length ? `, found \`${text[at]}\`` : ""}`);
}

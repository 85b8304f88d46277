/**
 * A hand-written tokenizer for the text nearly every recipe is made of: blanks, `//` comments,
 * names and reserved words, numbers, one-line strings and punctuation. On such text it yields
 * exactly the tokens the token definitions of tokens.ts give (same types, images and start
 * positions), several times faster than chevrotain's general lexer, which tries the patterns
 * one after another at every offset. On anything else (block comments, raw and multi-line
 * strings, `#`, unterminated strings, characters no token starts with, a byte-order mark) it
 * gives up and returns undefined, and the lexer runs chevrotain's: every lexical diagnostic and
 * the error recovery stay chevrotain's, and this tokenizer never has to reproduce them.
 */
import type { IToken, TokenType } from "./chevrotain.js";
import * as T from "./tokens.js";

export interface Scanned {
  tokens: IToken[];
  comments: IToken[];
}

const RESERVED: ReadonlyMap<string, TokenType> = new Map([
  ["recipe", T.Recipe],
  ["use", T.Use],
  ["as", T.As],
  ["let", T.Let],
  ["model", T.Model],
  ["data", T.Data],
  ["reward", T.Reward],
  ["stage", T.Stage],
  ["run", T.Run],
  ["with", T.With],
  ["true", T.True],
  ["false", T.False],
]);

/** Punctuation of one character that no longer token starts with, by character code. */
const SINGLE: readonly (TokenType | undefined)[] = (() => {
  const table: (TokenType | undefined)[] = [];
  const pairs: [string, TokenType][] = [
    ["{", T.LCurly],
    ["}", T.RCurly],
    ["(", T.LParen],
    [")", T.RParen],
    ["[", T.LBracket],
    ["]", T.RBracket],
    ["<", T.Less],
    [">", T.Greater],
    [",", T.Comma],
    ["=", T.Equals],
    [":", T.Colon],
    ["+", T.Plus],
    ["*", T.Star],
    ["%", T.PercentSign],
  ];
  for (const [char, type] of pairs) table[char.charCodeAt(0)] = type;
  return table;
})();

/** The number shape of tokens.ts, matched where a digit starts a token. */
const NUMBER_SHAPE = /\d(?:[eE][+-]\d|[0-9A-Za-z_])*(?:\.\d(?:[eE][+-]\d|[0-9A-Za-z_])*)?/y;

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Tokens and comments of `text`, or undefined when it holds anything but the common kinds. */
export function scanCommon(text: string): Scanned | undefined {
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const token = (type: TokenType, start: number, end: number, image = text.slice(start, end)): IToken => ({
    image,
    startOffset: start,
    startLine: line,
    startColumn: start - lineStart + 1,
    tokenTypeIdx: type.tokenTypeIdx!,
    tokenType: type,
  });
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const start = i;
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      // Lines end at `\n`, `\r\n` or a lone `\r`, as chevrotain counts them.
      for (; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x0a || (d === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
          line++;
          lineStart = i + 1;
        } else if (d !== 0x20 && d !== 0x09 && d !== 0x0d) break;
      }
      continue;
    }
    if (isNameStart(c)) {
      // `r"` starts a raw string, left to the general lexer.
      if (c === 0x72 && text.charCodeAt(i + 1) === 0x22) return undefined;
      i++;
      while (i < text.length && isNamePart(text.charCodeAt(i))) i++;
      // A reserved word only where the whole name is one: `user` is a name, not `use` + `r`.
      const name = text.slice(start, i);
      tokens.push(token(RESERVED.get(name) ?? T.Identifier, start, i, name));
      continue;
    }
    if (isDigit(c)) {
      NUMBER_SHAPE.lastIndex = i;
      i += NUMBER_SHAPE.exec(text)![0].length;
      if (text.charCodeAt(i) === 0x25) tokens.push(token(T.Percent, start, ++i));
      else tokens.push(token(T.NumberLiteral, start, i));
      continue;
    }
    if (c === 0x22) {
      if (text.charCodeAt(i + 1) === 0x22 && text.charCodeAt(i + 2) === 0x22) return undefined;
      i++;
      for (;;) {
        const d = text.charCodeAt(i);
        if (d === 0x22) break;
        // The end of the text or of the line before the closing quote: unterminated. A
        // backslash takes the next character unless that ends a line.
        if (Number.isNaN(d) || d === 0x0a || d === 0x0d) return undefined;
        if (d === 0x5c) {
          const e = text.charCodeAt(i + 1);
          if (Number.isNaN(e) || e === 0x0a || e === 0x0d || e === 0x2028 || e === 0x2029) return undefined;
          i++;
        }
        i++;
      }
      tokens.push(token(T.PlainString, start, ++i));
      continue;
    }
    const next = text.charCodeAt(i + 1);
    if (c === 0x2f) {
      if (next === 0x2a) return undefined;
      if (next === 0x2f) {
        i += 2;
        while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
        comments.push(token(T.LineComment, start, i));
      } else tokens.push(token(T.Slash, start, ++i));
      continue;
    }
    if (c === 0x2e) {
      i += next === 0x2e ? 2 : 1;
      tokens.push(token(i - start === 2 ? T.DotDot : T.Dot, start, i));
      continue;
    }
    if (c === 0x2d) {
      i += next === 0x3e ? 2 : 1;
      tokens.push(token(i - start === 2 ? T.Arrow : T.Minus, start, i));
      continue;
    }
    if (c === 0x7c && next === 0x3e) {
      i += 2;
      tokens.push(token(T.PipeOp, start, i));
      continue;
    }
    const single = SINGLE[c];
    if (single === undefined) return undefined;
    tokens.push(token(single, start, ++i));
  }
  return { tokens, comments };
}

/**
 * The token vocabulary of docs/language.md §2. Reserved words are their own tokens; units,
 * granularities and `sha256` are contextual and lex as identifiers. Every token that can name a
 * field or argument (identifiers and reserved words, since `data = ...` is a field of a stage)
 * belongs to the `Name` category.
 */
import { createToken, Lexer, type TokenType } from "./chevrotain.js";

export const Name = createToken({ name: "Name", pattern: Lexer.NA });

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [Name],
});

function keyword(word: string): TokenType {
  return createToken({
    name: word.charAt(0).toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Name],
  });
}

export const Recipe = keyword("recipe");
export const Use = keyword("use");
export const As = keyword("as");
export const Let = keyword("let");
export const Model = keyword("model");
export const Data = keyword("data");
export const Reward = keyword("reward");
export const Stage = keyword("stage");
export const Run = keyword("run");
export const With = keyword("with");
export const True = keyword("true");
export const False = keyword("false");

export const RESERVED_WORDS = ["recipe", "use", "as", "let", "model", "data", "reward", "stage", "run", "with", "true", "false"];

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\uFEFF]+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: "comments" });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: "comments" });
/**
 * `#` comments are not Roux, but YAML and Python users write them by habit: lexing one as a
 * comment lets the lexer report one E0001 with the fix instead of a cascade over its words.
 */
export const HashComment = createToken({ name: "HashComment", pattern: /#[^\n\r]*/, group: "comments" });
/** A `/*` with no closing `*\/`: swallows the rest of the file so that one E0002 is reported. */
export const UnterminatedComment = createToken({ name: "UnterminatedComment", pattern: /\/\*[\s\S]*/, group: "comments" });

/** Any string literal; the parser matches this category. */
export const StringLiteral = createToken({ name: "StringLiteral", pattern: Lexer.NA });
export const MultilineString = createToken({ name: "MultilineString", pattern: /"""[\s\S]*?"""/, categories: [StringLiteral] });
export const UnterminatedMultilineString = createToken({
  name: "UnterminatedMultilineString",
  pattern: /"""[\s\S]*/,
  categories: [StringLiteral],
});
export const RawString = createToken({ name: "RawString", pattern: /r"[^"]*"/, categories: [StringLiteral] });
export const UnterminatedRawString = createToken({ name: "UnterminatedRawString", pattern: /r"[^"\n]*/, categories: [StringLiteral] });
export const PlainString = createToken({ name: "PlainString", pattern: /"(?:[^"\\\n]|\\.)*"/, categories: [StringLiteral] });
/** A `"` whose line ends before the closing quote (a string may not span lines). */
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: /"(?:[^"\\\n]|\\.)*\\?/, categories: [StringLiteral] });

/**
 * Numbers are lexed generously (any letters, digits and underscores after a digit, and one
 * fractional part) and validated afterwards, so that `1__0`, `3e` or `200steps` become one E0003
 * on one token rather than a cascade of syntax errors.
 */
const NUMBER_SHAPE = /\d(?:[eE][+-]\d|[0-9A-Za-z_])*(?:\.\d(?:[eE][+-]\d|[0-9A-Za-z_])*)?/y;

function matchNumber(text: string, offset: number, percent: boolean): RegExpExecArray | null {
  NUMBER_SHAPE.lastIndex = offset;
  const match = NUMBER_SHAPE.exec(text);
  if (match === null) return null;
  const followedByPercent = text.charCodeAt(offset + match[0].length) === 37; // "%"
  if (percent !== followedByPercent) return null;
  if (percent) match[0] += "%";
  return match;
}

export const Percent = createToken({
  name: "Percent",
  pattern: { exec: (text: string, offset: number) => matchNumber(text, offset, true) },
  line_breaks: false,
  start_chars_hint: [..."0123456789"],
});
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: { exec: (text: string, offset: number) => matchNumber(text, offset, false) },
  line_breaks: false,
  start_chars_hint: [..."0123456789"],
});

export const LCurly = createToken({ name: "LCurly", pattern: /\{/, label: "`{`" });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/, label: "`}`" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "`(`" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "`)`" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "`[`" });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: "`]`" });
export const Less = createToken({ name: "Less", pattern: /</, label: "`<`" });
export const Greater = createToken({ name: "Greater", pattern: />/, label: "`>`" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "`,`" });
export const Equals = createToken({ name: "Equals", pattern: /=/, label: "`=`" });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "`:`" });
export const DotDot = createToken({ name: "DotDot", pattern: /\.\./, label: "`..`" });
export const Dot = createToken({ name: "Dot", pattern: /\./, label: "`.`" });
export const Arrow = createToken({ name: "Arrow", pattern: /->/, label: "`->`" });
export const PipeOp = createToken({ name: "PipeOp", pattern: /\|>/, label: "`|>`" });
export const AdditiveOp = createToken({ name: "AdditiveOp", pattern: Lexer.NA, label: "`+` or `-`" });
export const Plus = createToken({ name: "Plus", pattern: /\+/, categories: [AdditiveOp], label: "`+`" });
export const Minus = createToken({ name: "Minus", pattern: /-/, categories: [AdditiveOp], label: "`-`" });
export const MultiplicativeOp = createToken({ name: "MultiplicativeOp", pattern: Lexer.NA, label: "`*` or `/`" });
export const Star = createToken({ name: "Star", pattern: /\*/, categories: [MultiplicativeOp], label: "`*`" });
export const Slash = createToken({ name: "Slash", pattern: /\//, categories: [MultiplicativeOp], label: "`/`" });
/** `%` only makes sense glued to a number (`20%`); alone it is a syntax error the parser reports. */
export const PercentSign = createToken({ name: "PercentSign", pattern: /%/, label: "`%`" });

/** Lexer order matters: comments before `/`, `..` before `.`, `->` before `-`, raw strings before identifiers. */
export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  HashComment,
  MultilineString,
  UnterminatedMultilineString,
  RawString,
  UnterminatedRawString,
  PlainString,
  UnterminatedString,
  Percent,
  NumberLiteral,
  Recipe,
  Use,
  As,
  Let,
  Model,
  Data,
  Reward,
  Stage,
  Run,
  With,
  True,
  False,
  Identifier,
  Name,
  StringLiteral,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Less,
  Greater,
  Comma,
  Equals,
  Colon,
  DotDot,
  Dot,
  Arrow,
  PipeOp,
  AdditiveOp,
  Plus,
  Minus,
  MultiplicativeOp,
  Star,
  Slash,
  PercentSign,
];

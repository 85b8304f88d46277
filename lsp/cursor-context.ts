/**
 * Where the cursor stands for completion, read from the tokens before it: the text being typed
 * is usually not a recipe that parses (`optimizer = adam { l`), so the AST cannot say, but the
 * lexer reads any text. The answer is one of: a member after `alias.`, a field name inside a
 * block (with the block's owner and the fields already written), a value (with the field or
 * declaration it is for), or the start of an item.
 */
import { type IToken, type TokenType, tokenMatcher } from "../grammar/chevrotain.js";
import { lex } from "../grammar/lexer.js";
import * as Tok from "../grammar/tokens.js";

/** What a `{ ... }` block gives fields to: a called name, the stage a `with` amends, `run`, or a field's record. */
export type BlockOwner =
  | { kind: "call"; name: string; qualifier?: string }
  | { kind: "with"; base: string }
  | { kind: "run" }
  | { kind: "record"; field: string; outer: BlockOwner | undefined };

/** What a value is for: a field of a block, or a top-level declaration of a kind. */
export type ValueSlot = { kind: "field"; field: string; owner: BlockOwner | undefined; inList: boolean } | { kind: "declaration"; keyword: string };

export type CursorContext =
  | { kind: "member"; object: string; prefix: string }
  | { kind: "field"; owner: BlockOwner | undefined; written: string[]; prefix: string }
  | { kind: "value"; slot: ValueSlot | undefined; prefix: string }
  | { kind: "item"; prefix: string };

const OPENERS: readonly TokenType[] = [Tok.LCurly, Tok.LParen, Tok.LBracket];
const CLOSERS: readonly TokenType[] = [Tok.RCurly, Tok.RParen, Tok.RBracket];
const DECLARATION_KEYWORDS: readonly TokenType[] = [Tok.Let, Tok.Model, Tok.Data, Tok.Reward, Tok.Stage];
/** Tokens after which a line break does not end the field: the value goes on. */
const CONTINUING: readonly TokenType[] = [
  Tok.Equals,
  Tok.Plus,
  Tok.Minus,
  Tok.Star,
  Tok.Slash,
  Tok.Arrow,
  Tok.PipeOp,
  Tok.Dot,
  Tok.DotDot,
  Tok.Colon,
  Tok.With,
];

/** A name, a field's included: fields may be named like keywords (`data = ...`, `reward = ...`). */
function isName(token: IToken | undefined): boolean {
  return token !== undefined && tokenMatcher(token, Tok.Name);
}

export function cursorContext(text: string, offset: number): CursorContext {
  const prefix = /[A-Za-z_][A-Za-z0-9_]*$/.exec(text.slice(0, offset))?.[0] ?? "";
  const start = offset - prefix.length;
  const all = lex(text, "completion").tokens;
  const cursorLine = text.slice(0, start).split("\n").length;
  // A line break after a complete value ends it: the cursor starts a new field or item.
  const endsLine = (token: IToken) => !CONTINUING.includes(token.tokenType) && (token.endLine ?? token.startLine ?? 0) < cursorLine;
  const before = all.filter((t) => t.startOffset + t.image.length <= start);
  const last = before.at(-1);
  if (last?.tokenType === Tok.Dot && isName(before.at(-2))) return { kind: "member", object: before.at(-2)!.image, prefix };
  const open = openBrackets(before);
  const innermost = open.at(-1);
  if (innermost === undefined) {
    const keyword = [...before].reverse().find((t) => DECLARATION_KEYWORDS.includes(t.tokenType) || t.tokenType === Tok.Run || t.tokenType === Tok.Use);
    if (last === undefined || endsLine(last)) return { kind: "item", prefix };
    const slot: ValueSlot | undefined =
      keyword && DECLARATION_KEYWORDS.includes(keyword.tokenType) ? { kind: "declaration", keyword: keyword.image } : undefined;
    return { kind: "value", slot, prefix };
  }
  const bracket = before[innermost]!;
  if (bracket.tokenType === Tok.LCurly) {
    const owner = ownerOf(before, innermost, open);
    const startsField = last === bracket || last?.tokenType === Tok.Comma || (last !== undefined && endsLine(last));
    if (startsField) return { kind: "field", owner, written: writtenFields(all, all.indexOf(bracket)), prefix };
    return { kind: "value", slot: fieldSlot(before, innermost, owner, false), prefix };
  }
  if (bracket.tokenType === Tok.LBracket) {
    // `rewards = [a, |]`: an item of the list a field takes.
    const outer = open.at(-2);
    const owner = outer !== undefined && before[outer]!.tokenType === Tok.LCurly ? ownerOf(before, outer, open.slice(0, -1)) : undefined;
    const field = before[innermost - 1]?.tokenType === Tok.Equals && isName(before[innermost - 2]) ? before[innermost - 2] : undefined;
    return { kind: "value", slot: field ? { kind: "field", field: field.image, owner, inList: true } : undefined, prefix };
  }
  return { kind: "value", slot: undefined, prefix };
}

/** Indices (into `tokens`) of the brackets still open at the end, outermost first. */
function openBrackets(tokens: readonly IToken[]): number[] {
  const open: number[] = [];
  tokens.forEach((t, i) => {
    if (OPENERS.includes(t.tokenType)) open.push(i);
    else if (CLOSERS.includes(t.tokenType)) open.pop();
  });
  return open;
}

/** Who the `{` at `index` gives fields to, from the tokens just before it. */
function ownerOf(tokens: readonly IToken[], index: number, open: readonly number[]): BlockOwner | undefined {
  let previous = index - 1;
  if (tokens[previous]?.tokenType === Tok.RParen) {
    // `f(a) { ... }`: the name before the matching `(`.
    let depth = 0;
    for (; previous >= 0; previous--) {
      const type = tokens[previous]!.tokenType;
      if (type === Tok.RParen) depth++;
      else if (type === Tok.LParen && --depth === 0) break;
    }
    previous--;
  }
  const before = tokens[previous];
  if (before === undefined) return undefined;
  if (before.tokenType === Tok.Run) return { kind: "run" };
  if (before.tokenType === Tok.With) {
    const base = tokens[previous - 1];
    return base?.tokenType === Tok.Identifier ? { kind: "with", base: base.image } : undefined;
  }
  if (before.tokenType === Tok.Identifier) {
    const qualified = tokens[previous - 1]?.tokenType === Tok.Dot && tokens[previous - 2]?.tokenType === Tok.Identifier;
    return { kind: "call", name: before.image, ...(qualified ? { qualifier: tokens[previous - 2]!.image } : {}) };
  }
  if (before.tokenType === Tok.Equals && isName(tokens[previous - 1])) {
    const enclosing = open.filter((i) => i < index).at(-1);
    const outer =
      enclosing !== undefined && tokens[enclosing]!.tokenType === Tok.LCurly
        ? ownerOf(
            tokens,
            enclosing,
            open.filter((i) => i < enclosing),
          )
        : undefined;
    return { kind: "record", field: tokens[previous - 1]!.image, outer };
  }
  return undefined;
}

/** The field whose value the cursor is in: the name before the last `=` at the block's own depth. */
function fieldSlot(tokens: readonly IToken[], blockIndex: number, owner: BlockOwner | undefined, inList: boolean): ValueSlot | undefined {
  let depth = 0;
  for (let i = tokens.length - 1; i > blockIndex; i--) {
    const type = tokens[i]!.tokenType;
    if (CLOSERS.includes(type)) depth++;
    else if (OPENERS.includes(type)) depth--;
    else if (depth === 0 && type === Tok.Equals && isName(tokens[i - 1])) return { kind: "field", field: tokens[i - 1]!.image, owner, inList };
  }
  return undefined;
}

/** The names given a value at the block's own depth, on either side of the cursor. */
function writtenFields(tokens: readonly IToken[], blockIndex: number): string[] {
  const names: string[] = [];
  let depth = 0;
  for (let i = blockIndex + 1; i < tokens.length; i++) {
    const type = tokens[i]!.tokenType;
    if (OPENERS.includes(type)) depth++;
    else if (CLOSERS.includes(type) && depth-- === 0) break;
    else if (depth === 0 && isName(tokens[i]) && tokens[i + 1]?.tokenType === Tok.Equals) names.push(tokens[i]!.image);
  }
  return names;
}

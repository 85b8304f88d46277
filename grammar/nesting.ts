/**
 * The nesting limit of docs/language.md §9 "Nesting", checked on the token stream before the
 * parser runs. The parser, the checker and the formatter all descend once per level of nesting,
 * so a tree deeper than the stack allows would crash them; a file nested deeper than
 * `NESTING_LIMIT` is refused here with E0005 at the token that goes one level too deep, and no
 * later pass ever sees it. Long flat chains (`1 + 1 + ...`, `a |> f |> g`, `s1 -> s2 -> ...`,
 * long lists) do not nest in the source and are not limited here; the checker limits the depth
 * of a value such a chain builds from rewards or advantages (compiler/check/depth.ts).
 *
 * A level is an open bracket (`(`, `[`, `{`, or the `<` of a type argument), a unary `-`, or a
 * postfix suffix (`.name`, a call's `(...)`, a `{...}` block argument, `with`): each wraps the
 * expression before it in one more node. A unary or postfix level lasts until an operator, `,`,
 * `=` or `:` ends the operand it belongs to, or until the bracket it sits in closes.
 */
import { tokenMatcher, type IToken, type TokenType } from "./chevrotain.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { LineIndex } from "../diagnostics/span.js";
import * as T from "./tokens.js";

/** Deep enough for any recipe a person writes, shallow enough that every pass has stack to spare. */
export const NESTING_LIMIT = 64;

const OPENERS: ReadonlySet<TokenType> = new Set([T.LParen, T.LBracket, T.LCurly, T.Less]);
const CLOSERS: ReadonlySet<TokenType> = new Set([T.RParen, T.RBracket, T.RCurly, T.Greater]);
/** Tokens that end the operand a unary `-` or a postfix suffix belongs to. */
const OPERAND_ENDS: ReadonlySet<TokenType> = new Set([T.Plus, T.Minus, T.Star, T.Slash, T.DotDot, T.Arrow, T.PipeOp, T.Comma, T.Equals, T.Colon]);

/**
 * Whether each token type seen so far ends an operand. The answer depends on the type alone,
 * and a file of any size has a few dozen types, so the category tests run once per type.
 */
const endsOperandByType = new Map<TokenType, boolean>();

/** Whether a token ends an operand, so that a `-` after it is binary and a `(` or `{` a suffix. */
function endsOperand(token: IToken | undefined): boolean {
  if (token === undefined) return false;
  const type = token.tokenType;
  let ends = endsOperandByType.get(type);
  if (ends === undefined) {
    ends = typeEndsOperand(token);
    endsOperandByType.set(type, ends);
  }
  return ends;
}

function typeEndsOperand(token: IToken): boolean {
  const type = token.tokenType;
  return (
    (tokenMatcher(token, T.Name) && type !== T.With) ||
    tokenMatcher(token, T.StringLiteral) ||
    type === T.NumberLiteral ||
    type === T.Percent ||
    type === T.RParen ||
    type === T.RBracket ||
    type === T.RCurly
  );
}

/** E0005 at the first token nested deeper than `NESTING_LIMIT`, or undefined when none is. */
export function nestingTooDeep(tokens: readonly IToken[], lines: LineIndex, file: string): Diagnostic | undefined {
  // One frame per open bracket (the bottom one is the file), holding the unary and postfix
  // levels open inside it; `depth` is the brackets open plus all those levels.
  const frames: { opener?: TokenType; chain: number }[] = [{ chain: 0 }];
  let depth = 0;
  let previous: IToken | undefined;
  const top = () => frames[frames.length - 1]!;
  const endChain = () => {
    depth -= top().chain;
    top().chain = 0;
  };
  for (const token of tokens) {
    const type = token.tokenType;
    const afterOperand = endsOperand(previous);
    previous = token;
    if (CLOSERS.has(type)) {
      if (frames.length > 1) depth -= frames.pop()!.chain + 1;
      continue;
    }
    if (type === T.Equals) {
      // `=` ends a type annotation, whatever `<` of it was left open.
      while (frames.length > 1 && top().opener === T.Less) depth -= frames.pop()!.chain + 1;
    }
    if (OPERAND_ENDS.has(type) && !(type === T.Minus && !afterOperand)) {
      endChain();
      continue;
    }
    const suffix = type === T.Minus || type === T.Dot || type === T.With || ((type === T.LParen || type === T.LCurly) && afterOperand);
    if (suffix) {
      top().chain++;
      depth++;
    }
    if (OPENERS.has(type)) {
      frames.push({ opener: type, chain: 0 });
      depth++;
    }
    if (depth > NESTING_LIMIT) {
      const start = Number.isFinite(token.startOffset) ? token.startOffset : 0;
      return diagnostic("E0005", { what: "expressions", limit: NESTING_LIMIT }, lines.span(file, start, start + token.image.length), {
        label: `more than ${NESTING_LIMIT} levels deep here`,
        help: "give the inner parts names with `let` and use the names",
      });
    }
  }
  return undefined;
}

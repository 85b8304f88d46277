/**
 * The part of the recipe parser that hands a file's top-level nodes out one at a time
 * (grammar/README.md "One item at a time"): chevrotain's tree-building hooks, overridden so that
 * a finished header or item goes to a sink instead of the file's CST, and the tokens before it
 * are released. Kept apart from parser.ts, which holds the grammar's rules.
 */
import { CstParser, type CstNode, type IToken } from "./chevrotain.js";

/** Chevrotain's hook that attaches a finished rule's node to its parent's, not in its published types. */
type PostNonTerminal = (this: ItemStreamParser, node: CstNode, ruleName: string) => void;
const attachToParent = (CstParser.prototype as unknown as { cstPostNonTerminal: PostNonTerminal }).cstPostNonTerminal;

export abstract class ItemStreamParser extends CstParser {
  // Chevrotain's tree-building and token state, not in its published types (see
  // cstInvocationStateUpdate, cstPostNonTerminal).
  declare private readonly CST_STACK: CstNode[];
  declare private readonly setInitialNodeLocation: (node: CstNode) => void;
  declare private readonly tokVector: (IToken | undefined)[];
  declare private readonly currIdx: number;

  /** Where a file's top-level nodes go as each is finished (parseTokens); unset, they stay in the CST. */
  topLevelSink?: (node: CstNode) => void;
  /** Tokens before this index are released (cstPostNonTerminal). */
  private released = 0;

  /** Chevrotain's reset for a new input, which starts releasing tokens from the first again. */
  override reset(): void {
    super.reset();
    this.released = 0;
  }

  /**
   * Opens a CST node whose `children` is an ordinary object. Chevrotain's own uses
   * `Object.create(null)`, which V8 keeps as a hash table of about 300 bytes; a one-line
   * `let a = 1` opens ten nodes (one per precedence level), so a 100k-line recipe held over
   * 300 MB of CST before the AST was built. No rule, label or token is named like a member of
   * `Object.prototype`, so a plain object reads the same.
   */
  cstInvocationStateUpdate(fullRuleName: string): void {
    const node: CstNode = { name: fullRuleName, children: {} };
    this.setInitialNodeLocation(node);
    this.CST_STACK.push(node);
  }

  /**
   * Chevrotain calls this as each rule finishes (also one cut short by a syntax error) to attach
   * its node to the enclosing one. A node finished directly under `file` (the header, an item)
   * goes to `topLevelSink` instead, so that its CST can be garbage as soon as its AST is built
   * rather than the whole file's CST being held at once; error recovery reads tokens and never
   * the CST, so it is unchanged. The tokens before the last one consumed are dropped too: the
   * parser only looks ahead, and back only at that one (`LA(0)`, grammar/parser.ts atUnit and
   * the "previous token" of a syntax error at the end of input).
   */
  cstPostNonTerminal(node: CstNode, ruleName: string): void {
    if (this.topLevelSink === undefined || this.CST_STACK.length !== 1) {
      attachToParent.call(this, node, ruleName);
      return;
    }
    this.topLevelSink(node);
    for (; this.released < this.currIdx; this.released++) this.tokVector[this.released] = undefined;
  }
}

/**
 * Operator chains as lists. The parser folds `a + b - c` to the left, so a chain of n operators
 * is a tree n levels deep along `left`; a pass that recursed into `left` would need stack in
 * proportion to the chain's length, and a long flat chain is legal however long it is
 * (docs/language.md §9 "Nesting"). Passes walk a chain with this loop instead.
 */
import type { BinaryExpr, BinaryOp, Expr } from "./ast.js";

/**
 * The links of the chain `expr` tops, bottom first, while `inChain` accepts the operator:
 * `a + b - c` gives `[a + b, (a + b) - c]`. The bottom link's `left` is the chain's first
 * operand, and every link's `right` is the operand after its operator.
 */
export function chainLinks(expr: BinaryExpr, inChain: (op: BinaryOp) => boolean): BinaryExpr[] {
  const links: BinaryExpr[] = [];
  let node: Expr = expr;
  while (node.kind === "binary" && inChain(node.op)) {
    links.push(node);
    node = node.left;
  }
  return links.reverse();
}

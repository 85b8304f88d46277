/**
 * The AST nodes under the cursor, outermost first: the item, then each node inside it that holds
 * the offset, down to the innermost. Found by descending one level at a time, not by recursion,
 * so a 10,000-term chain costs a loop, not the stack.
 */
import type * as A from "../grammar/ast.js";
import { touches } from "./locations.js";

export type AstNode = A.Item | A.Expr | A.Field | A.Arg | A.TypeRef | A.Header;

export function children(node: AstNode): (AstNode | undefined)[] {
  switch (node.kind) {
    case "header":
      return [node.name];
    case "use":
      return [node.path, node.alias];
    case "let":
      return [node.name, node.type, node.value];
    case "model":
    case "data":
    case "stage":
    case "reward":
      return [node.name, node.value];
    case "run":
      return [node.block];
    case "type":
      return [node.name, ...node.args];
    case "list":
      return node.items;
    case "block":
      return node.fields;
    case "field":
      return [node.name, node.value];
    case "arg":
      return [node.name, node.value];
    case "paren":
      return [node.expr];
    case "unary":
      return [node.operand];
    case "binary":
      return [node.left, node.right];
    case "member":
      return [node.object, node.name];
    case "call":
      return [node.callee, ...node.args];
    case "blockCall":
      return [node.callee, node.block];
    case "with":
      return [node.base, node.block];
    default:
      return [];
  }
}

export function nodesAt(file: A.RecipeFile, offset: number): AstNode[] {
  const path: AstNode[] = [];
  let level: (AstNode | undefined)[] = [file.header, ...file.items];
  for (;;) {
    // The last that touches: where the cursor sits between two nodes (`a|.b`), the later one.
    const hit = level.filter((n): n is AstNode => n !== undefined && touches(n.span, offset)).pop();
    if (hit === undefined) return path;
    path.push(hit);
    level = children(hit);
  }
}

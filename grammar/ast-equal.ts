/**
 * AST comparison up to layout, for tests that check a rewrite of the source kept its meaning
 * (the formatter's round trip, the parser fuzz test): spans and the comment list are dropped,
 * everything else (literal texts, parentheses, units) must match.
 */
import { isDeepStrictEqual } from "node:util";
import type { RecipeFile } from "./ast.js";

/**
 * A copy of `node` without `span` fields, without the file's `comments`, and without fields
 * whose value is `undefined` (an absent optional part and one set to `undefined` are the same).
 */
export function stripLayout(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripLayout);
  if (node === null || typeof node !== "object") return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "span" || value === undefined) continue;
    if (key === "comments" && (node as { kind?: unknown }).kind === "file") continue;
    copy[key] = stripLayout(value);
  }
  return copy;
}

/** Whether two parses describe the same recipe, whatever their layout and comments. */
export function sameAst(a: RecipeFile, b: RecipeFile): boolean {
  return isDeepStrictEqual(stripLayout(a), stripLayout(b));
}

/**
 * Find references of a field name. A field is a parameter of the built-in or record its block
 * belongs to (`lr` of `adamw`, `temperature` of a `sample` record, `seed` of `run`), so a field's
 * references are the fields and named arguments that set the same parameter, wherever it is set:
 * every `lr =` given to an `adamw`, but not the `lr` of another built-in. The name is the
 * language's, not the recipe's, so it cannot be renamed (docs/architecture.md "roux lsp").
 */
import type { Location } from "vscode-languageserver";
import type { Param } from "../compiler/builtins/shape.js";
import type { Span } from "../diagnostics/span.js";
import type { Analysis } from "./analysis.js";
import { meaningAt, paramOf } from "./meaning.js";
import { type AstNode, children, nodesAt } from "./node-at.js";

/** The field named under the cursor: the parameter it sets. */
export interface NamedField {
  name: string;
  param: Param;
  at: Span;
}

export function fieldAt(analysis: Analysis, offset: number): NamedField | undefined {
  const program = analysis.program;
  const meaning = program && meaningAt(program, offset);
  if (meaning?.kind !== "field" || meaning.param === undefined) return undefined;
  const name = nodesAt(program!.root.ast, offset).at(-1);
  return name && { name: meaning.name, param: meaning.param, at: name.span };
}

/** Every place the open documents set the field's parameter, in file then source order. */
export function fieldReferences(analyses: readonly Analysis[], field: NamedField): Location[] {
  const found = analyses.flatMap((analysis) =>
    setters(analysis)
      .filter((s) => s.param === field.param)
      .map((s) => ({ uri: analysis.uri, offset: s.at.start.offset, range: analysis.rangesOf(analysis.file).range(s.at) })),
  );
  return found.sort((a, b) => a.uri.localeCompare(b.uri) || a.offset - b.offset).map(({ uri, range }) => ({ uri, range }));
}

/**
 * Each field or named argument of the document with the parameter it sets. Walked with one
 * path kept in step, not by recursion, so a 10,000-term chain costs a loop, not the stack.
 */
function setters(analysis: Analysis): { at: Span; param: Param | undefined }[] {
  const program = analysis.program;
  if (program?.root.result === undefined) return [];
  const found: { at: Span; param: Param | undefined }[] = [];
  const path: AstNode[] = [];
  // `undefined` marks leaving the node on top of the path.
  const stack: (AstNode | undefined)[] = [...program.root.ast.items].reverse();
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined) {
      path.pop();
      continue;
    }
    path.push(node);
    if ((node.kind === "field" || node.kind === "arg") && node.name !== undefined)
      found.push({ at: node.name.span, param: paramOf(program, node.name.name, [...path, node.name]) });
    stack.push(
      undefined,
      ...children(node)
        .filter((c): c is AstNode => c !== undefined)
        .reverse(),
    );
  }
  return found;
}

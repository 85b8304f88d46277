/**
 * Document symbols: the outline of a recipe. Each item (import, let, model, data, reward, stage,
 * run) with its type as `roux check --types` shows it, and the fields of its block as children.
 */
import { type DocumentSymbol, SymbolKind } from "vscode-languageserver";
import { showValue } from "../compiler/show-value.js";
import type * as A from "../grammar/ast.js";
import type { Analysis } from "./analysis.js";

const KINDS: Readonly<Record<A.Item["kind"], SymbolKind>> = {
  use: SymbolKind.Module,
  let: SymbolKind.Constant,
  model: SymbolKind.Class,
  data: SymbolKind.Struct,
  reward: SymbolKind.Function,
  stage: SymbolKind.Event,
  run: SymbolKind.Namespace,
  sweep: SymbolKind.Array,
  variants: SymbolKind.Enum,
};

/** The block an item's value ends in (`f { ... }`, `x with { ... }`, `{ ... }`), whose fields are its children. */
function blockOf(expr: A.Expr): A.BlockExpr | undefined {
  if (expr.kind === "block") return expr;
  if (expr.kind === "blockCall" || expr.kind === "with") return expr.block;
  return undefined;
}

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const root = analysis.root;
  if (root === undefined) return [];
  const ranges = analysis.rangesOf(analysis.file);
  const symbol = (name: string, kind: SymbolKind, whole: A.Node, named: A.Node, detail?: string, block?: A.BlockExpr): DocumentSymbol => ({
    name,
    kind,
    range: ranges.range(whole.span),
    selectionRange: ranges.range(named.span),
    ...(detail === undefined ? {} : { detail }),
    children: (block?.fields ?? []).map((f) => symbol(f.name.name, SymbolKind.Field, f, f.name, undefined, blockOf(f.value))),
  });
  return root.ast.items.map((item) => {
    switch (item.kind) {
      case "use":
        return symbol(item.alias.name, KINDS.use, item, item.alias, item.path.value);
      case "run":
        return symbol("run", KINDS.run, item, item, undefined, item.block);
      case "sweep":
      case "variants":
        return symbol(item.kind, KINDS[item.kind], item, item);
      default: {
        const value = root.result?.declarations.get(item.name.name)?.value;
        return symbol(item.name.name, KINDS[item.kind], item, item.name, value ? showValue(value) : undefined, blockOf(item.value));
      }
    }
  });
}

/**
 * Go to definition inside a sweep's items (docs/language.md §10): a variant's recipe path to
 * that recipe's file, and a name in a setting's path (`rl.optimizer.lr`) to where the recipe
 * writes it: the declaration for the first name, then each field as far as the recipe writes
 * it (a field the recipe leaves to its default goes to the nearest enclosing one written). A
 * variant's setting is looked up in its own recipe; a grid's in every recipe the sweep runs, one
 * location each. Found on the recipe's text as the sweep read it, by the same walk `--set`
 * makes (compiler/overrides.ts), so it goes where the setting lands.
 */
import type { Location } from "vscode-languageserver";
import { readSweepSpec } from "../compiler/sweep/sweep-spec.js";
import type { Span } from "../diagnostics/span.js";
import type * as A from "../grammar/ast.js";
import { isDeclaring } from "../grammar/ast.js";
import { parse } from "../grammar/parse.js";
import type { Analysis } from "./analysis.js";
import { touches } from "./locations.js";

/** Undefined when the cursor is not on a sweep's recipe path or setting path: the caller goes on as in a recipe. */
export function sweepDefinitionAt(analysis: Analysis, offset: number): Location | Location[] | undefined {
  const ast = analysis.program?.root.ast;
  if (analysis.sweep === undefined || ast === undefined) return undefined;
  const { spec } = readSweepSpec(analysis.file, ast);
  const named = spec.variants.find((v) => v.recipeFile !== analysis.file && touches(v.span, offset));
  if (named !== undefined) return fileStart(analysis, named.recipeFile);
  const grid = spec.grid.map((axis) => ({ setting: axis.setting, recipes: [...new Set(spec.variants.map((v) => v.recipeFile))] }));
  const amended = spec.variants.flatMap((v) => v.settings.map((setting) => ({ setting, recipes: [v.recipeFile] })));
  for (const { setting, recipes } of [...grid, ...amended]) {
    const index = setting.path.findIndex((name) => touches(name.span, offset));
    if (index === -1) continue;
    const names = setting.path.slice(0, index + 1).map((name) => name.name);
    const found = recipes.flatMap((file) => {
      const span = writtenAt(analysis.sweep?.sources.get(file), file, names);
      return span === undefined ? [] : [{ uri: analysis.uriOf(file), range: analysis.rangesOf(file).range(span) }];
    });
    return found.length === 1 ? found[0] : found;
  }
  return undefined;
}

function fileStart(analysis: Analysis, file: string): Location {
  const start = { line: 0, character: 0 };
  return { uri: analysis.uriOf(file), range: { start, end: start } };
}

/** Where the recipe writes the deepest of `names` it writes: the declaration (or `run`), then fields. */
function writtenAt(text: string | undefined, file: string, names: readonly string[]): Span | undefined {
  if (text === undefined) return undefined;
  const { ast } = parse(text, file);
  const [head, ...fields] = names;
  const run = head === "run" ? ast.items.find((i): i is A.RunItem => i.kind === "run") : undefined;
  const declaration = ast.items.filter(isDeclaring).find((d) => d.name.name === head);
  // `run` is a keyword, not a name: the item's first three characters.
  const keyword = run && { ...run.span, end: { ...run.span.start, column: run.span.start.column + 3, offset: run.span.start.offset + 3 } };
  let at: Span | undefined = keyword ?? declaration?.name.span;
  let value: A.Expr | undefined = run?.block ?? declaration?.value;
  for (const name of fields) {
    const field = blockOf(value)?.fields.find((f) => f.name.name === name);
    if (field === undefined) break;
    at = field.name.span;
    value = field.value;
  }
  return at;
}

/** The block a value writes its fields in, as `--set` finds it: a block, or the block of a call or `with`. */
function blockOf(value: A.Expr | undefined): A.BlockExpr | undefined {
  if (value?.kind === "block") return value;
  if (value?.kind === "blockCall" || value?.kind === "with") return value.block;
  return undefined;
}

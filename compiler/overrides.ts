/**
 * `--set PATH=VALUE`: changes a recipe from the command line as if its source said so. The
 * value is parsed like source in a pseudo-file named for the option, and spliced into the AST
 * before checking, so a wrong value is reported by the same checks, pointing at the override.
 */
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { closest, didYouMean } from "../diagnostics/suggest.js";
import type * as A from "../grammar/ast.js";
import { isDeclaring } from "../grammar/ast.js";
import { parseOverride } from "../grammar/parse.js";

/**
 * The pseudo-file an override's text is parsed in, `--set #N` for the Nth `--set`: the name
 * diagnostics show, and how a source that is an override tells itself from a file on disk.
 */
export type OverrideFile = `--set #${number}`;

export function overrideFile(index: number): OverrideFile {
  return `--set #${index + 1}`;
}

export function isOverrideFile(file: string): file is OverrideFile {
  return /^--set #\d+$/.test(file);
}

export interface OverrideSource {
  file: OverrideFile;
  text: string;
}

export function overrideSources(texts: readonly string[]): OverrideSource[] {
  return texts.map((text, i) => ({ file: overrideFile(i), text }));
}

/** Parses and applies each override to the root module's AST, in order. */
export function applyOverrides(ast: A.RecipeFile, sources: readonly OverrideSource[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const source of sources) {
    const parsed = parseOverride(source.text, source.file);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.diagnostics.length === 0) {
      const problem = applyOverride(ast, parsed.override);
      if (problem) diagnostics.push(problem);
    }
  }
  return diagnostics;
}

type Holder = { block: A.BlockExpr; set(block: A.BlockExpr): void };

function applyOverride(ast: A.RecipeFile, override: A.Override): Diagnostic | undefined {
  const [head, ...rest] = override.path;
  if (head.name === "run") {
    const run = ast.items.find((i): i is A.RunItem => i.kind === "run");
    if (run === undefined) return noSuchName(head, "this recipe has no `run` block", []);
    const [field, ...after] = rest;
    if (field === undefined) {
      // `run` is a block, not a value: there is no `run = ...` in the source to replace.
      return diagnostic("E2102", { problem: "cannot override", name: "run", where: "as a whole" }, head.span, {
        label: "the `run` block is overridden one field at a time",
        help: "write --set run.FIELD=VALUE, e.g. --set run.seed=1",
      });
    }
    return setIn({ block: run.block, set: (b) => (run.block = b) }, field, after, override);
  }
  const declarations = ast.items.filter(isDeclaring);
  const item = declarations.find((d) => d.name.name === head.name);
  if (item === undefined)
    return noSuchName(
      head,
      "not declared in this recipe",
      declarations.map((d) => d.name.name),
    );
  const [field, ...after] = rest;
  if (field === undefined) {
    item.value = override.value;
    return undefined;
  }
  return setIn(
    holderOf(item.value, (e) => (item.value = e)),
    field,
    after,
    override,
  );
}

/** The block an expression writes its fields in, wrapping a bare value in `x with { }` if needed. */
function holderOf(expr: A.Expr, replace: (e: A.Expr) => void): Holder {
  if (expr.kind === "block") return { block: expr, set: (b) => replace(b) };
  if (expr.kind === "blockCall" || expr.kind === "with") return { block: expr.block, set: (b) => (expr.block = b) };
  const wrapped: A.WithExpr = { kind: "with", base: expr, block: { kind: "block", fields: [], span: expr.span }, span: expr.span };
  replace(wrapped);
  return { block: wrapped.block, set: (b) => (wrapped.block = b) };
}

/** Sets the field `name` of `holder`'s block, or the field at `rest` inside it. */
function setIn(holder: Holder, name: A.Ident, rest: readonly A.Ident[], override: A.Override): Diagnostic | undefined {
  const field = holder.block.fields.find((f) => f.name.name === name.name);
  const [next, ...after] = rest;
  if (next === undefined) {
    const replacement: A.Field = { kind: "field", name, value: override.value, span: override.span };
    holder.set({ ...holder.block, fields: field ? holder.block.fields.map((f) => (f === field ? replacement : f)) : [...holder.block.fields, replacement] });
    return undefined;
  }
  if (field === undefined || !["block", "blockCall", "with"].includes(field.value.kind)) {
    return diagnostic("E2102", { problem: "cannot override", name: [name, ...rest].map((p) => p.name).join("."), where: "here" }, name.span, {
      label: field ? `\`${name.name}\` is not written as a block in the recipe` : `\`${name.name}\` is not written in the recipe`,
      help: `override the whole field instead: --set ...${name.name}={ ... }`,
    });
  }
  return setIn(
    holderOf(field.value, (e) => (field.value = e)),
    next,
    after,
    override,
  );
}

function noSuchName(ident: A.Ident, label: string, candidates: string[]): Diagnostic {
  const suggestion = closest(ident.name, candidates);
  return diagnostic("E1101", { name: ident.name }, ident.span, { label, ...(suggestion ? didYouMean(ident.span, suggestion) : {}) });
}

/**
 * What the name or expression under the cursor means, decided from the checked program the
 * way the checker decided it: a declaration (of this module, an imported one or the prelude),
 * an imported module, a built-in, a field of a call, or just a value. Hover and go to
 * definition both read it, so they agree.
 */
import { RECORDS } from "../compiler/builtins/records.js";
import type { Builtin, Param } from "../compiler/builtins/shape.js";
import { lookupBuiltin } from "../compiler/builtins/table.js";
import type { Declaration } from "../compiler/check/scope.js";
import type { CheckedModule, ProgramResult } from "../compiler/program.js";
import type { Checked } from "../compiler/values.js";
import type * as A from "../grammar/ast.js";
import { numberValue, percentValue } from "../compiler/check/literals.js";
import { checkedAt } from "./checked-at.js";
import { aliasUse, importedModule, preludeModule, taskMembers } from "./imports.js";
import { type AstNode, nodesAt } from "./node-at.js";

export type Meaning =
  | { kind: "declaration"; module: CheckedModule; declaration: Declaration }
  | { kind: "module"; use: A.UseItem; module?: CheckedModule }
  | { kind: "builtin"; builtin: Builtin }
  | { kind: "field"; name: string; value?: Checked; param?: Param }
  | { kind: "value"; value: Checked };

export function meaningAt(program: ProgramResult, offset: number): Meaning | undefined {
  const root = program.root;
  const path = nodesAt(root.ast, offset);
  const node = path.at(-1);
  const parent = path.at(-2);
  if (node === undefined || root.result === undefined) return undefined;
  const valueAt = (span: A.Node["span"]) => checkedAt(root.result!, root.file, offset, span);
  if (node.kind === "string" && parent?.kind === "use") return { kind: "module", use: parent, module: importedModule(program, root, parent) };
  if (node.kind !== "ident") return valueMeaning(valueAt(node.span) ?? literalValue(node) ?? checkedAt(root.result, root.file, offset));
  switch (parent?.kind) {
    case "let":
    case "model":
    case "data":
    case "stage":
    case "reward": {
      const declaration = root.result.declarations.get(node.name);
      if (parent.name === node && declaration) return { kind: "declaration", module: root, declaration };
      break;
    }
    case "use":
      return { kind: "module", use: parent, module: importedModule(program, root, parent) };
    case "field":
    case "arg":
      if (parent.name === node) return { kind: "field", name: node.name, value: valueAt(parent.value.span), param: paramOf(program, node.name, path) };
      break;
    case "member":
      if (parent.name === node && parent.object.kind === "ident")
        return memberMeaning(program, parent.object.name, node.name) ?? valueMeaning(valueAt(parent.span));
      break;
  }
  const callee = (parent?.kind === "call" || parent?.kind === "blockCall") && parent.callee === node;
  // A stage declared as a preset (`stage s = rloo`) or amending one (`rloo with { ... }`) names the preset.
  const stage = (parent?.kind === "with" && parent.base === node) || parent?.kind === "stage";
  return nameMeaning(program, node, callee ? "builtin" : stage ? "prelude" : undefined, valueAt(node.span));
}

/**
 * A number or percentage the checker folded into the expression around it (`150` in `2 * 150`),
 * typed by the checker's own literal rules; its mistakes were reported when the document was checked.
 */
function literalValue(node: AstNode): Checked | undefined {
  const ignore = () => {};
  if (node.kind === "number") return numberValue(node, ignore);
  if (node.kind === "percent") return percentValue(node, ignore);
  return undefined;
}

function valueMeaning(value: Checked | undefined): Meaning | undefined {
  return value ? { kind: "value", value } : undefined;
}

/** `alias.name`: a declaration of the imported module, or a task member the runtime implements. */
export function memberMeaning(program: ProgramResult, alias: string, name: string): Meaning | undefined {
  const use = aliasUse(program.root, alias);
  if (use === undefined) return undefined;
  const module = importedModule(program, program.root, use);
  const declaration = module?.result?.declarations.get(name);
  if (module && declaration) return { kind: "declaration", module, declaration };
  const task = taskMembers(use).find((t) => t.name === name);
  return task ? { kind: "builtin", builtin: task } : undefined;
}

/**
 * A name in an expression: the module's own declaration or import first, as the checker looks
 * names up; then, for a name both the prelude and the built-ins have (`rloo`), the one the place
 * `prefers`, else the one the checker recorded taking, else the built-in.
 */
function nameMeaning(program: ProgramResult, ident: A.Ident, prefers: "builtin" | "prelude" | undefined, value: Checked | undefined): Meaning | undefined {
  const root = program.root;
  const own = root.result?.declarations.get(ident.name);
  if (own) return { kind: "declaration", module: root, declaration: own };
  const use = aliasUse(root, ident.name);
  if (use) return { kind: "module", use, module: importedModule(program, root, use) };
  const builtin = lookupBuiltin(ident.name);
  if (prefers === "builtin" && builtin) return { kind: "builtin", builtin };
  // The checker records which declaration a name took; the prelude's is found by its file.
  const taken = value?.declaration;
  const prelude = taken ? [...program.modules.values()].find((m) => m.file === taken.span.file) : preludeModule(program);
  const declaration = prelude?.result?.declarations.get(ident.name);
  if (prelude && declaration && (taken !== undefined || prefers === "prelude" || builtin === undefined))
    return { kind: "declaration", module: prelude, declaration };
  if (builtin) return { kind: "builtin", builtin };
  return valueMeaning(value);
}

/** The parameter a field or named argument sets (the last two nodes of `path` are it and its name). */
export function paramOf(program: ProgramResult, name: string, path: AstNode[]): Param | undefined {
  return paramsAt(program, path, path.length - 3)?.find((p) => p.name === name);
}

/**
 * The parameters the block or call at `path[i]` takes: a built-in's (called, or the stage kind a
 * `with` amends), `run`'s, or, for a block given to a field, the record that field takes.
 */
function paramsAt(program: ProgramResult, path: AstNode[], i: number): readonly Param[] | undefined {
  const node = path[i];
  if (node?.kind === "call") return builtinCalled(program, node)?.params;
  if (node?.kind !== "block") return undefined;
  const parent = path[i - 1];
  if (parent?.kind === "run") return RECORDS.run;
  if (parent?.kind === "blockCall" || parent?.kind === "with") return builtinCalled(program, parent)?.params;
  if (parent?.kind !== "field") return undefined;
  const type = paramsAt(program, path, i - 2)?.find((p) => p.name === parent.name.name)?.type;
  return type && "record" in type ? RECORDS[type.record] : undefined;
}

function builtinCalled(program: ProgramResult, node: A.CallExpr | A.BlockCallExpr | A.WithExpr): Builtin | undefined {
  // `f(a) { b = 1 }` is one call of `f`; a task member is named by its module (`arith.problems`).
  const callee = node.kind === "with" ? undefined : node.callee.kind === "call" ? node.callee.callee : node.callee;
  const task = callee?.kind === "member" && callee.object.kind === "ident" ? memberMeaning(program, callee.object.name, callee.name.name) : undefined;
  if (task?.kind === "builtin") return task.builtin;
  const root = program.root;
  const call = root.result && checkedAt(root.result, root.file, node.span.start.offset, node.span);
  return call?.call ? lookupBuiltin(call.call.builtin) : undefined;
}

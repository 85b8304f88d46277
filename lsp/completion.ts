/**
 * Completion: what may be written where the cursor is (cursor-context.ts). Field names the block
 * takes and has not been given yet, with their types and docs; after `alias.`, the imported
 * module's members; for a value, the declared names, presets, imports and built-ins whose type
 * the field or declaration takes (all of them where the type is not known); item keywords at the
 * start of an item. Names and types come from the document's last analysis that checked, since
 * the text being typed rarely does.
 */
import { type CompletionItem, CompletionItemKind } from "vscode-languageserver";
import { RECORDS } from "../compiler/builtins/records.js";
import type { Builtin, Param } from "../compiler/builtins/shape.js";
import { BUILTINS, lookupBuiltin } from "../compiler/builtins/table.js";
import type { ProgramResult } from "../compiler/program.js";
import { showValue } from "../compiler/show-value.js";
import { assignable, T, type Type } from "../compiler/types.js";
import type { Checked } from "../compiler/values.js";
import { type BlockOwner, cursorContext, type ValueSlot } from "./cursor-context.js";
import { aliasUse, importedModule, preludeModule, taskMembers } from "./imports.js";
import { memberMeaning } from "./meaning.js";
import { signature, typeText } from "./signature.js";

const ITEM_KEYWORDS = ["use", "let", "model", "data", "reward", "stage", "run"];

const DECLARED: Readonly<Record<string, Type[]>> = {
  model: [T.model],
  data: [T.dataset],
  stage: [T.stage("rl"), T.stage("sft")],
  reward: [T.reward("outcome"), T.reward("process"), T.reward("token")],
};

export function completionsAt(text: string, offset: number, program: ProgramResult | undefined): CompletionItem[] {
  const context = cursorContext(text, offset);
  switch (context.kind) {
    case "item":
      return ITEM_KEYWORDS.map((k) => ({ label: k, kind: CompletionItemKind.Keyword }));
    case "member":
      return program ? members(program, context.object) : [];
    case "field": {
      const params = program ? paramsOf(program, context.owner) : context.owner?.kind === "run" ? RECORDS.run : undefined;
      const written = new Set(context.written.filter((name) => name !== context.prefix));
      return (params ?? []).filter((p) => !written.has(p.name)).map(fieldItem);
    }
    case "value":
      return values(program, expectedTypes(program, context.slot));
  }
}

function fieldItem(param: Param): CompletionItem {
  return { label: param.name, kind: CompletionItemKind.Field, detail: typeText(param), documentation: param.doc, insertText: `${param.name} = ` };
}

function builtinItem(builtin: Builtin): CompletionItem {
  const kind = builtin.params.length === 0 ? CompletionItemKind.Constant : CompletionItemKind.Function;
  return { label: builtin.name, kind, detail: signature(builtin), documentation: builtin.doc };
}

function valueItem(name: string, value: Checked | undefined, kind: CompletionItemKind): CompletionItem {
  return { label: name, kind, ...(value ? { detail: showValue(value) } : {}) };
}

function members(program: ProgramResult, alias: string): CompletionItem[] {
  const use = aliasUse(program.root, alias);
  if (use === undefined) return [];
  const module = importedModule(program, program.root, use);
  const declared = [...(module?.result?.declarations.values() ?? [])].map((d) => valueItem(d.name, d.value, CompletionItemKind.Variable));
  return [...declared, ...taskMembers(use).map(builtinItem)];
}

/** The parameters a block takes, by who it gives fields to. */
function paramsOf(program: ProgramResult, owner: BlockOwner | undefined): readonly Param[] | undefined {
  switch (owner?.kind) {
    case undefined:
      return undefined;
    case "run":
      return RECORDS.run;
    case "call": {
      if (owner.qualifier === undefined) return lookupBuiltin(owner.name)?.params;
      const member = memberMeaning(program, owner.qualifier, owner.name);
      return member?.kind === "builtin" ? member.builtin.params : undefined;
    }
    case "with": {
      // The stage amended is the module's own or a preset; its fields are its stage kind's.
      const stage = declaredValue(program, owner.base);
      return stage?.call ? lookupBuiltin(stage.call.builtin)?.params : undefined;
    }
    case "record": {
      const type = paramsOf(program, owner.outer)?.find((p) => p.name === owner.field)?.type;
      return type && "record" in type ? RECORDS[type.record] : undefined;
    }
  }
}

function declaredValue(program: ProgramResult, name: string): Checked | undefined {
  const own = program.root.result?.declarations.get(name);
  if (own) return own.value;
  const prelude = preludeModule(program);
  return prelude?.result?.declarations.get(name)?.value;
}

/** The types the value may have; empty when unknown (anything goes). */
function expectedTypes(program: ProgramResult | undefined, slot: ValueSlot | undefined): Type[] {
  if (slot === undefined) return [];
  if (slot.kind === "declaration") return DECLARED[slot.keyword] ?? [];
  const type = program ? paramsOf(program, slot.owner)?.find((p) => p.name === slot.field)?.type : undefined;
  if (type === undefined || "record" in type) return [];
  const types = Array.isArray(type) ? type : [type];
  return slot.inList ? types.flatMap((t) => (t.kind === "List" ? [t.of] : [])) : types;
}

function values(program: ProgramResult | undefined, expected: Type[]): CompletionItem[] {
  const fits = (type: Type | undefined) => expected.length === 0 || (type !== undefined && expected.some((e) => assignable(type, e)));
  const items: CompletionItem[] = [];
  if (program) {
    for (const d of program.root.result?.declarations.values() ?? []) {
      if (d.value && d.value.type.kind !== "Unknown" && fits(d.value.type)) items.push(valueItem(d.name, d.value, CompletionItemKind.Variable));
    }
    const prelude = preludeModule(program);
    for (const d of prelude?.result?.declarations.values() ?? []) {
      if (!program.root.result?.declarations.has(d.name) && fits(d.value?.type)) items.push(valueItem(d.name, d.value, CompletionItemKind.Class));
    }
    if (expected.length === 0) {
      for (const item of program.root.ast.items)
        if (item.kind === "use") items.push({ label: item.alias.name, kind: CompletionItemKind.Module, detail: item.path.value });
    }
  }
  for (const builtin of BUILTINS) if (fits(builtin.result)) items.push(builtinItem(builtin));
  return items;
}

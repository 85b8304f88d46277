/**
 * Rename: a declaration or an import's alias and every name that refers to it
 * (lsp/references.ts), across the open documents and the modules they import. The standard
 * library and the registry's cache are not the user's to edit: renaming a declaration of theirs
 * is refused, as is a field (its name is the language's), a new name that is not a name, and
 * one the declaring module already has.
 */
import path from "node:path";
import { ErrorCodes, ResponseError, type TextEdit, type WorkspaceEdit } from "vscode-languageserver";
import { STD_DIR } from "../compiler/modules/resolve.js";
import { RESERVED_WORDS } from "../grammar/tokens.js";
import type { Analysis } from "./analysis.js";
import type { NamedField } from "./field-references.js";
import { moduleOf, type NamedDeclaration, referencesTo } from "./references.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function refuse(message: string): never {
  throw new ResponseError(ErrorCodes.InvalidRequest, message);
}

/** Why a declaration in `file` cannot be renamed, or undefined when it can. */
export function readOnlyReason(analyses: readonly Analysis[], file: string): string | undefined {
  const specifier = moduleOf(analyses, file)?.module.specifier;
  if (specifier?.startsWith("registry:")) return `\`${specifier}\` is a pinned registry module: its declarations cannot be renamed here`;
  const inStd = path.resolve(file).startsWith(STD_DIR + path.sep);
  if (inStd || specifier?.startsWith("std/"))
    return `\`${specifier ?? path.basename(file)}\` is part of the standard library: its declarations cannot be renamed`;
  return undefined;
}

/** Refuses a read-only declaration, and every field: a field's name is the built-in's or record's, which the language defines. */
function refuseReadOnly(analyses: readonly Analysis[], target: NamedDeclaration | NamedField): asserts target is NamedDeclaration {
  if ("param" in target) refuse(`\`${target.name}\` is a field the language defines: it cannot be renamed`);
  const reason = readOnlyReason(analyses, target.declaration.file);
  if (reason) refuse(reason);
}

/** The range to rename and the current name, for `textDocument/prepareRename`; refused with the reason for a read-only declaration or a field. */
export function prepareRename(analyses: readonly Analysis[], target: NamedDeclaration | NamedField | undefined, analysis: Analysis) {
  if (target === undefined) return null;
  refuseReadOnly(analyses, target);
  return { range: analysis.rangesOf(target.at.file).range(target.at), placeholder: target.name };
}

export function renameEdits(analyses: readonly Analysis[], target: NamedDeclaration | NamedField | undefined, newName: string): WorkspaceEdit | null {
  if (target === undefined) return null;
  refuseReadOnly(analyses, target);
  if (!NAME.test(newName) || RESERVED_WORDS.includes(newName))
    refuse(`\`${newName}\` is not a name: a name is letters, digits and \`_\`, not starting with a digit, and not a keyword`);
  const home = moduleOf(analyses, target.declaration.file)?.module;
  const taken = home?.ast.items.some((item) => (item.kind === "use" ? item.alias.name : "name" in item ? item.name.name : undefined) === newName);
  if (taken && newName !== target.name) refuse(`\`${newName}\` is already declared in ${path.basename(target.declaration.file)}`);
  const changes: Record<string, TextEdit[]> = {};
  for (const location of referencesTo(analyses, target.declaration, true)) {
    const edits = changes[location.uri] ?? [];
    edits.push({ range: location.range, newText: newName });
    changes[location.uri] = edits;
  }
  return { changes };
}

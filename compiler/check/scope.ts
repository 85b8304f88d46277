/**
 * What a name can mean inside one module: its own declarations (checked lazily, on first use,
 * so declarations may come in any order), the modules it imports, the prelude (std/presets)
 * and the built-ins. A name that is both a preset and a built-in (`rloo`) is told apart by the
 * type the place of use wants.
 */
import type { Span } from "../../diagnostics/span.js";
import type { DeclaringItem } from "../../grammar/ast.js";
import type { Builtin } from "../builtins/shape.js";
import type { Checked } from "../values.js";

export type DeclKind = "let" | "model" | "data" | "reward" | "stage";

export interface Declaration {
  name: string;
  kind: DeclKind;
  item: DeclaringItem;
  nameSpan: Span;
  /** Set once checked; `checking` marks a declaration whose value refers back to itself. */
  state: "unchecked" | "checking" | "done";
  value?: Checked;
  uses: number;
}

/** A module as its importers see it: named members, checked on demand. */
export interface ModuleView {
  specifier: string;
  member(name: string): Checked | undefined;
  memberNames(): string[];
}

export type Binding =
  | { kind: "declaration"; declaration: Declaration }
  | { kind: "module"; module: ModuleView; span: Span }
  | { kind: "builtin"; builtin: Builtin }
  | { kind: "prelude"; value: Checked; name: string };

/** A name that named a declaration or an import: `at` is the name as written, `declaration` the declaration's name span or the `use`'s alias. */
export interface NameReference {
  at: Span;
  declaration: Span;
}

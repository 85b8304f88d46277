/**
 * The recipe AST: what the parser produces and the formatter and compiler consume. Every node
 * has a span. Parentheses are kept (`Paren`) so that the formatter prints what the user wrote.
 */
import type { Span } from "../diagnostics/span.js";

export interface Node {
  span: Span;
}

export interface Ident extends Node {
  kind: "ident";
  name: string;
}

export type Unit = "step" | "steps" | "epoch" | "epochs" | "sample" | "samples" | "token" | "tokens";
export const UNITS: readonly Unit[] = ["step", "steps", "epoch", "epochs", "sample", "samples", "token", "tokens"];

export type Granularity = "outcome" | "process" | "token";
export const GRANULARITIES: readonly Granularity[] = ["outcome", "process", "token"];

export interface NumberLit extends Node {
  kind: "number";
  value: number;
  /** The literal as written (`1_000`, `3e-4`), which the formatter keeps. */
  text: string;
  /** Whether the literal is written as an integer (no `.` and no exponent). */
  integer: boolean;
  unit?: { name: Unit; span: Span };
}

export interface PercentLit extends Node {
  kind: "percent";
  /** The fraction: `20%` is 0.2. */
  value: number;
  text: string;
}

export interface StringLit extends Node {
  kind: "string";
  value: string;
  style: "plain" | "raw" | "multiline";
  /** The literal as written, quotes included. */
  text: string;
}

export interface BoolLit extends Node {
  kind: "bool";
  value: boolean;
}

export interface ListExpr extends Node {
  kind: "list";
  items: Expr[];
}

export interface Field extends Node {
  kind: "field";
  name: Ident;
  value: Expr;
}

export interface BlockExpr extends Node {
  kind: "block";
  fields: Field[];
}

export interface ParenExpr extends Node {
  kind: "paren";
  expr: Expr;
}

export interface UnaryExpr extends Node {
  kind: "unary";
  op: "-";
  operand: Expr;
}

export type BinaryOp = "+" | "-" | "*" | "/" | ".." | "->" | "|>";

export interface BinaryExpr extends Node {
  kind: "binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

export interface MemberExpr extends Node {
  kind: "member";
  object: Expr;
  name: Ident;
}

export interface Arg extends Node {
  kind: "arg";
  name?: Ident;
  value: Expr;
}

export interface CallExpr extends Node {
  kind: "call";
  callee: Expr;
  args: Arg[];
}

/** `f { ... }`: a call with the block as its named arguments. */
export interface BlockCallExpr extends Node {
  kind: "blockCall";
  callee: Expr;
  block: BlockExpr;
}

/** `x with { ... }`: amends a record or stage. */
export interface WithExpr extends Node {
  kind: "with";
  base: Expr;
  block: BlockExpr;
}

/** Stands where the parser recovered from a syntax error; its diagnostic was already reported. */
export interface ErrorExpr extends Node {
  kind: "error";
}

export type Expr =
  | Ident
  | NumberLit
  | PercentLit
  | StringLit
  | BoolLit
  | ListExpr
  | BlockExpr
  | ParenExpr
  | UnaryExpr
  | BinaryExpr
  | MemberExpr
  | CallExpr
  | BlockCallExpr
  | WithExpr
  | ErrorExpr;

export interface TypeRef extends Node {
  kind: "type";
  name: Ident;
  args: TypeRef[];
}

export interface Header extends Node {
  kind: "header";
  /** `recipe NAME` heads a recipe or module; `sweep NAME` a sweep file (docs/language.md §10). */
  keyword: "recipe" | "sweep";
  name: Ident;
  description?: StringLit;
}

export interface UseItem extends Node {
  kind: "use";
  path: StringLit;
  sha256?: StringLit;
  alias: Ident;
}

export interface LetItem extends Node {
  kind: "let";
  name: Ident;
  type?: TypeRef;
  value: Expr;
}

/** `model`, `data` and `stage` declarations share one shape. */
export interface DeclItem extends Node {
  kind: "model" | "data" | "stage";
  name: Ident;
  value: Expr;
}

export interface RewardItem extends Node {
  kind: "reward";
  name: Ident;
  granularity: { name: Granularity; span: Span };
  value: Expr;
}

export interface RunItem extends Node {
  kind: "run";
  block: BlockExpr;
}

/** `{ PATH = value, ... }`: the overrides of a sweep's grid or of one variant (docs/language.md §10). */
export interface SettingsBlock extends Node {
  kind: "settings";
  settings: Override[];
}

/** `sweep { PATH = [v1, v2], ... }`: a grid, each setting's value a list. */
export interface SweepItem extends Node {
  kind: "sweep";
  block: SettingsBlock;
}

/**
 * One named variant: overrides of the recipe it sits in (`null = { rl.control = ... }`), or, in a
 * sweep file, a recipe file optionally amended (`grpo_null = "./grpo.recipe" with { ... }`).
 */
export interface Variant extends Node {
  kind: "variant";
  name: Ident;
  recipe?: StringLit;
  settings?: SettingsBlock;
}

export interface VariantList extends Node {
  kind: "variantList";
  variants: Variant[];
}

export interface VariantsItem extends Node {
  kind: "variants";
  list: VariantList;
}

/** The items that declare a name a recipe's expressions may refer to. */
export type DeclaringItem = LetItem | DeclItem | RewardItem;

export type Item = UseItem | DeclaringItem | RunItem | SweepItem | VariantsItem;

export function isDeclaring(item: Item): item is DeclaringItem {
  return item.kind === "let" || item.kind === "model" || item.kind === "data" || item.kind === "reward" || item.kind === "stage";
}

export interface Comment {
  text: string;
  span: Span;
  /** Line comments run to the end of their line; block comments may sit inside one. */
  style: "line" | "block";
}

/**
 * `--set PATH=VALUE` on the command line, parsed like source so its errors point at it; also a
 * setting of a sweep or variant, written in a file (docs/language.md §10).
 */
export interface Override extends Node {
  kind: "override";
  /** `rl.sample.temperature`: a declaration's name, then the fields inside it. */
  path: [Ident, ...Ident[]];
  value: Expr;
}

export interface RecipeFile extends Node {
  kind: "file";
  header?: Header;
  items: Item[];
  comments: Comment[];
}

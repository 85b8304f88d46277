/**
 * What the checker knows about an expression after checking it: its type, where it is, and
 * the facts later checks and lowering need. Checking a recipe is evaluating it abstractly:
 * numbers and strings are known exactly, a reward carries its value range, a stage its fields.
 */
import type { Span } from "../diagnostics/span.js";
import type { Granularity } from "../grammar/ast.js";
import type { Builtin } from "./builtins/shape.js";
import type { DurationUnit, Type } from "./types.js";

export type Constant =
  | { kind: "number"; value: number }
  | { kind: "string"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "duration"; value: number; unit: DurationUnit }
  | { kind: "range"; lo: number; hi: number }
  | { kind: "transition"; from: number; to: number };

/** A reward's static value range, tracked through arithmetic (`2 * prm - 1` is in [-1, 1]). */
export interface RewardRange {
  lo: number;
  hi: number;
  /** Takes only the values lo and hi (`{0,1}` for a verifier). */
  binary: boolean;
}

export interface Checked {
  type: Type;
  span: Span;
  constant?: Constant;
  /** The built-in that produced this value and its checked arguments, by parameter name. */
  call?: { builtin: string; args: Map<string, Checked> };
  reward?: RewardRange & { granularity: Granularity };
  /** What a dataset holds: whether its examples carry responses (SFT and expert data need them). */
  dataset?: { responses: boolean };
  /** A built-in named without its arguments (`arith.problems` before `{ ... }`). */
  fn?: Builtin;
  /** Fields of a record or a stage (`with` amends these). */
  fields?: Map<string, Checked>;
  items?: Checked[];
  /** A parameter's default filled in by the checker, not written (`with` re-derives these). */
  defaulted?: true;
  /** The declaration an identifier named, for use counts (W0001) and secondary spans. */
  declaration?: { name: string; span: Span };
  /** How deep `call` nests: 1 for a call of plain values, absent for none (check/depth.ts). */
  depth?: number;
}

export function unknownAt(span: Span): Checked {
  return { type: { kind: "Unknown" }, span };
}

/**
 * How built-ins, stage kinds and nested records declare what they take: one `Param` per
 * argument or field. Signatures are data (docs/architecture.md "Conventions"): the checker reads these tables and never
 * special-cases a built-in's arguments in code, except through the named refinements of
 * refine.ts for facts a table cannot state (a reward's range, `heads` dividing `d_model`).
 */
import type { Granularity } from "../../grammar/ast.js";
import type { Type } from "../types.js";

/** A default as written in the language, so docs and `--types` can show it as the user would. */
export type DefaultValue =
  | number
  | string
  | boolean
  | number[]
  | { builtin: string }
  | { percent: number }
  | { duration: number; unit: string }
  | { range: [number, number] };

/** The nested record shapes a field may take as `{ ... }`; table.ts's RECORDS holds each one's fields. */
export type RecordName = "sample" | "dynamic_sampling" | "eval" | "run";

/**
 * The refinements of check/refine.ts, by name. A union rather than a string, so a table entry
 * naming a refinement that does not exist fails to compile instead of silently skipping it, and
 * refine.ts must implement every name listed here.
 */
export type RefinementName =
  | "transformer"
  | "binaryReward"
  | "binaryProcess"
  | "promptsOnly"
  | "withResponses"
  | "jsonl"
  | "expertData"
  | "onnx"
  | "js"
  | "lift"
  | "prof"
  | "renorm"
  | "gate"
  | "clip"
  | "threshold"
  | "adam"
  | "rl"
  | "sft";

export interface Param {
  name: string;
  /** Accepted types; several mean any of them. `record` names a nested record shape (RECORDS). */
  type: Type | Type[] | { record: RecordName };
  /** Absent and without a default: the argument is required (E2102 when missing). */
  default?: DefaultValue;
  /** May be left out, with no default (`clip_high: Float?`). */
  optional?: boolean;
  /** Inclusive numeric bounds (E2105). `above` is an exclusive lower bound. */
  min?: number;
  max?: number;
  above?: number;
  /**
   * Names a stage only to say which one (a KL reference): the stage's value is not needed, so
   * a stage may name itself here without being a cycle (whether it runs earlier is E3105).
   */
  reference?: boolean;
  doc: string;
}

export interface Builtin {
  name: string;
  doc: string;
  params: Param[];
  result: Type;
  /** How many leading params may be passed by position; the rest only by name. */
  positional: number;
  /** The refinement in refine.ts run after the arguments check. */
  refine?: RefinementName;
  /** A reward source whose granularity is the one its declaration states, among these. */
  adopts?: Granularity[];
}

/** True when every parameter has a default or is optional, so the built-in may be written bare. */
export function callableBare(builtin: Builtin): boolean {
  return builtin.params.every((p) => p.default !== undefined || p.optional === true);
}

export function builtin(
  name: string,
  doc: string,
  result: Type,
  params: Param[] = [],
  options: { positional?: number; refine?: RefinementName; adopts?: Granularity[] } = {},
): Builtin {
  return { name, doc, result, params, positional: options.positional ?? params.length, refine: options.refine, adopts: options.adopts };
}

/** A constant: a built-in with no parameters, written bare (`outcome`, `token_mean`, `cpu`). */
export function constant(name: string, doc: string, result: Type): Builtin {
  return builtin(name, doc, result);
}

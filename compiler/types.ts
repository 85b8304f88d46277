/**
 * The static types of docs/language.md §4. A type says what kind of thing a value is; the
 * facts the checks need beyond that (a reward's value range, a stage's fields, a constant's
 * value) live on the checked value (values.ts), not in the type, so types stay small and print
 * the way the user reads them (`Reward<process>`, `Duration<steps>`).
 */
import type { Granularity } from "../grammar/ast.js";
import type { DurationUnit } from "../plan/plan.js";

export type { DurationUnit };

export type Type =
  | { kind: "Int" }
  | { kind: "Float" }
  | { kind: "Bool" }
  | { kind: "String" }
  | { kind: "Fraction" }
  | { kind: "Duration"; units: readonly DurationUnit[] }
  | { kind: "Range" }
  | { kind: "Transition" }
  | { kind: "Schedule" }
  | { kind: "Tokenizer" }
  | { kind: "Model" }
  | { kind: "Dataset" }
  | { kind: "Optimizer" }
  | { kind: "Reward"; granularity: Granularity }
  | { kind: "Credit" }
  | { kind: "Advantage" }
  | { kind: "Loss" }
  | { kind: "Kl" }
  | { kind: "Expert" }
  /** A control run in place of the method (`shuffled_advantages`, docs/algorithms.md §1.11). */
  | { kind: "Control" }
  | { kind: "Aggregate" }
  | { kind: "Device" }
  /** `init`: the policy as it was before the first stage (a KL reference). */
  | { kind: "Init" }
  | { kind: "Stage"; stage: "sft" | "rl" }
  | { kind: "Pipeline" }
  | { kind: "List"; of: Type }
  | { kind: "Record" }
  | { kind: "Module" }
  | { kind: "Function" }
  /** The type of an expression whose error was already reported: it fits everywhere, so one mistake is one diagnostic. */
  | { kind: "Unknown" };

export type TypeKind = Type["kind"];

export const T = {
  int: { kind: "Int" },
  float: { kind: "Float" },
  bool: { kind: "Bool" },
  string: { kind: "String" },
  fraction: { kind: "Fraction" },
  range: { kind: "Range" },
  transition: { kind: "Transition" },
  schedule: { kind: "Schedule" },
  tokenizer: { kind: "Tokenizer" },
  model: { kind: "Model" },
  dataset: { kind: "Dataset" },
  optimizer: { kind: "Optimizer" },
  credit: { kind: "Credit" },
  advantage: { kind: "Advantage" },
  loss: { kind: "Loss" },
  kl: { kind: "Kl" },
  expert: { kind: "Expert" },
  control: { kind: "Control" },
  aggregate: { kind: "Aggregate" },
  device: { kind: "Device" },
  init: { kind: "Init" },
  pipeline: { kind: "Pipeline" },
  record: { kind: "Record" },
  module: { kind: "Module" },
  function: { kind: "Function" },
  unknown: { kind: "Unknown" },
  duration: (...units: DurationUnit[]): Type => ({ kind: "Duration", units }),
  reward: (granularity: Granularity): Type => ({ kind: "Reward", granularity }),
  stage: (stage: "sft" | "rl"): Type => ({ kind: "Stage", stage }),
  list: (of: Type): Type => ({ kind: "List", of }),
} as const satisfies Record<string, Type | ((...args: never[]) => Type)>;

export function showType(type: Type): string {
  switch (type.kind) {
    case "Duration":
      return type.units.length === 4 ? "Duration" : `Duration<${type.units.join(" | ")}>`;
    case "Reward":
      return `Reward<${type.granularity}>`;
    case "Stage":
      return `Stage<${type.stage}>`;
    case "List":
      return `List<${showType(type.of)}>`;
    default:
      return type.kind;
  }
}

/**
 * Whether a value of type `actual` may stand where `expected` is wanted. Int widens to Float;
 * a number (or a Fraction) is a constant Schedule; a Fraction is a Float; a single stage is a
 * pipeline of one. Whether an Int or Float literal is in a Fraction's range is a value check
 * (E2105), not a type check, so numbers are accepted for Fraction here.
 */
export function assignable(actual: Type, expected: Type): boolean {
  if (actual.kind === "Unknown" || expected.kind === "Unknown") return true;
  switch (expected.kind) {
    case "Float":
      return actual.kind === "Float" || actual.kind === "Int" || actual.kind === "Fraction";
    case "Fraction":
      return actual.kind === "Fraction" || actual.kind === "Float" || actual.kind === "Int";
    case "Schedule":
      return actual.kind === "Schedule" || isNumeric(actual);
    case "Pipeline":
      return actual.kind === "Pipeline" || actual.kind === "Stage";
    case "Duration":
      return actual.kind === "Duration" && actual.units.every((u) => expected.units.includes(u));
    case "Reward":
      return actual.kind === "Reward" && actual.granularity === expected.granularity;
    case "Stage":
      return actual.kind === "Stage" && actual.stage === expected.stage;
    case "List":
      return actual.kind === "List" && assignable(actual.of, expected.of);
    default:
      return actual.kind === expected.kind;
  }
}

export function isNumeric(type: Type): boolean {
  return type.kind === "Int" || type.kind === "Float" || type.kind === "Fraction";
}

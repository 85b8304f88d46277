/**
 * Reading the facts lowering needs from checked values. Lowering runs only on programs without
 * errors, where every argument is bound and every number is a known constant; a fact missing
 * here is a checker bug, reported as an internal error that names what was missing.
 */
import type { Checked } from "../values.js";
import type { Duration, Range, Schedule, Value } from "../../plan/plan.js";

export class LoweringError extends Error {
  constructor(what: string) {
    super(`lowering: ${what} (the checker should have reported this recipe)`);
  }
}

/** The bound argument (or record field) `name` of a built-in application or record. */
export function field(value: Checked, name: string): Checked | undefined {
  return value.call?.args.get(name) ?? value.fields?.get(name);
}

export function need(value: Checked, name: string): Checked {
  const found = field(value, name);
  if (found === undefined) throw new LoweringError(`\`${name}\` of \`${value.call?.builtin ?? "a record"}\` is missing`);
  return found;
}

export function builtinOf(value: Checked): string {
  if (value.call === undefined) throw new LoweringError(`a ${value.type.kind} value has no known built-in`);
  return value.call.builtin;
}

function constantOf<K extends NonNullable<Checked["constant"]>["kind"]>(value: Checked, kind: K): Extract<NonNullable<Checked["constant"]>, { kind: K }> {
  const constant = value.constant;
  if (constant?.kind !== kind) throw new LoweringError(`expected a constant ${kind}, found ${constant?.kind ?? value.type.kind}`);
  return constant as Extract<NonNullable<Checked["constant"]>, { kind: K }>;
}

export const num = (value: Checked): number => constantOf(value, "number").value;
export const str = (value: Checked): string => constantOf(value, "string").value;
export const bool = (value: Checked): boolean => constantOf(value, "bool").value;

export function duration(value: Checked): Duration {
  const { value: n, unit } = constantOf(value, "duration");
  return { value: n, unit };
}

export function range(value: Checked): Range {
  const { lo, hi } = constantOf(value, "range");
  return { lo, hi };
}

/** An optional argument: null when left out. */
export function optionalNum(value: Checked | undefined): number | null {
  return value === undefined ? null : num(value);
}

export function optionalStr(value: Checked | undefined): string | null {
  return value === undefined ? null : str(value);
}

/** Any constant, as task generators and verifiers take their arguments. */
function constantValue(value: Checked): Value {
  const c = value.constant;
  switch (c?.kind) {
    case "number":
    case "string":
    case "bool":
      return c.value;
    case "duration":
      return { value: c.value, unit: c.unit };
    case "range":
      return { lo: c.lo, hi: c.hi };
    case "transition":
      return { from: c.from, to: c.to };
    default:
      throw new LoweringError(`an argument of type ${value.type.kind} is not a constant`);
  }
}

/** All arguments of a call as constants, by parameter name. */
export function constantArgs(value: Checked): Record<string, Value> {
  return Object.fromEntries([...(value.call?.args ?? [])].map(([name, arg]) => [name, constantValue(arg)]));
}

/** A Schedule argument: a number, or `linear`, `cosine`, `warmup_cosine` (docs/language.md §5). */
export function schedule(value: Checked): Schedule {
  if (value.constant?.kind === "number") return { schedule: "constant", value: value.constant.value };
  const kind = builtinOf(value);
  const { from, to } = constantOf(need(value, "values"), "transition");
  switch (kind) {
    case "linear":
    case "cosine":
      return { schedule: kind, from, to, over: duration(need(value, "over")) };
    case "warmup_cosine":
      return { schedule: kind, peak: from, valley: to, warmup: duration(need(value, "warmup")), decay: duration(need(value, "decay")) };
    default:
      throw new LoweringError(`\`${kind}\` is not a schedule`);
  }
}

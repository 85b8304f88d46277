/**
 * Values written out in the source and the two operators that pair plain values: numbers with
 * their units, percentages, `lo..hi` ranges, and `a -> b` (a transition of numbers, or a
 * pipeline of stages). Each reports its own mistake and is Unknown after one.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type * as A from "../../grammar/ast.js";
import { assignable, showType, T, type DurationUnit, type Type } from "../types.js";
import { unknownAt, type Checked } from "../values.js";

type Report = (diagnostic: Diagnostic) => void;

const UNIT_NAMES: Readonly<Record<A.Unit, DurationUnit>> = {
  step: "steps",
  steps: "steps",
  epoch: "epochs",
  epochs: "epochs",
  sample: "samples",
  samples: "samples",
  token: "tokens",
  tokens: "tokens",
};

export function numberValue(expr: A.NumberLit, report: Report): Checked {
  if (expr.unit) {
    const unit = UNIT_NAMES[expr.unit.name];
    if (!expr.integer) {
      report(
        diagnostic("E2105", { what: `\`${expr.text} ${expr.unit.name}\``, reason: "a duration is a whole number" }, expr.span, { label: "not a whole number" }),
      );
    }
    return { type: T.duration(unit), span: expr.span, constant: { kind: "duration", value: expr.value, unit } };
  }
  return { type: expr.integer ? T.int : T.float, span: expr.span, constant: { kind: "number", value: expr.value } };
}

export function percentValue(expr: A.PercentLit, report: Report): Checked {
  if (expr.value > 1) {
    report(diagnostic("E2105", { what: `\`${expr.text}\``, reason: "a fraction is at most 100%" }, expr.span, { label: "above 100%" }));
    return unknownAt(expr.span);
  }
  return { type: T.fraction, span: expr.span, constant: { kind: "number", value: expr.value } };
}

/** `lo..hi`, from its two evaluated ends. */
export function rangeValue(lo: Checked, hi: Checked, span: Span, report: Report): Checked {
  for (const end of [lo, hi]) {
    if (end.type.kind !== "Unknown" && !assignable(end.type, T.float)) {
      report(diagnostic("E2101", { expected: "a number", found: showType(end.type) }, end.span, { label: "a range's ends are numbers" }));
      return unknownAt(span);
    }
  }
  const a = lo.constant?.kind === "number" ? lo.constant.value : undefined;
  const b = hi.constant?.kind === "number" ? hi.constant.value : undefined;
  if (a === undefined || b === undefined) return { type: T.range, span };
  if (a > b) report(diagnostic("E2105", { what: "the range", reason: `it starts at ${a}, above its end ${b}` }, span, { help: `write \`${b}..${a}\`` }));
  return { type: T.range, span, constant: { kind: "range", lo: a, hi: b } };
}

/**
 * `a -> b`, from its two evaluated sides: a Transition of numbers, or a Pipeline of stages.
 * `leftOwned`: `left` is the pipeline the link before built, which nothing else holds, so its
 * stages are extended in place; copying them at every link would make a chain quadratic.
 */
export function arrowValue(left: Checked, right: Checked, span: Span, report: Report, leftOwned = false): Checked {
  if (left.type.kind === "Unknown" || right.type.kind === "Unknown") return unknownAt(span);
  const number = (c: Checked) => (c.constant?.kind === "number" ? c.constant.value : undefined);
  if (assignable(left.type, T.float) && assignable(right.type, T.float)) {
    const from = number(left);
    const to = number(right);
    return from === undefined || to === undefined ? { type: T.transition, span } : { type: T.transition, span, constant: { kind: "transition", from, to } };
  }
  if (assignable(left.type, T.pipeline) && assignable(right.type, T.pipeline)) {
    const stages = (c: Checked) => (c.type.kind === "Pipeline" ? (c.items ?? []) : [c]);
    const items = leftOwned && left.items !== undefined ? left.items : [...stages(left)];
    for (const stage of stages(right)) items.push(stage);
    return { type: T.pipeline, span, items };
  }
  report(
    diagnostic("E2101", { expected: "numbers (a transition) or stages (a pipeline)", found: `${showType(left.type)} -> ${showType(right.type)}` }, span, {
      label: "`->` joins two numbers or two stages",
    }),
  );
  return unknownAt(span);
}

/** The common type of list items: Unknown for none, Float if Ints and Floats mix, else the first item's type. */
export function unify(types: Type[]): Type {
  const [first] = types;
  if (first === undefined) return T.unknown;
  if (types.every((t) => t.kind === "Int")) return T.int;
  if (types.every((t) => t.kind === "Int" || t.kind === "Float" || t.kind === "Fraction")) return T.float;
  return first;
}

/**
 * Checks a call's arguments (or a record's fields) against a parameter table: positional and
 * named binding, unknown and missing arguments (E2102, with "did you mean"), types (E2101),
 * units (E2106) and numeric bounds (E2105). Arguments are evaluated here, not before, because
 * the parameter decides how: a `{ ... }` given for `sample` is checked against the `sample`
 * record's fields, and an identifier like `rloo` means the advantage or the preset by the type
 * the parameter wants.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { closest } from "../../diagnostics/suggest.js";
import type { Span } from "../../diagnostics/span.js";
import type { Expr, Ident } from "../../grammar/ast.js";
import type { DefaultValue, Param } from "../builtins/shape.js";
import { lookupBuiltin } from "../builtins/table.js";
import { assignable, showType, T, type Type } from "../types.js";
import type { Checked } from "../values.js";

/** An argument as written: by position or by name, not yet evaluated, or already checked (`with` amends). */
export interface ArgInput {
  name?: Ident;
  expr?: Expr;
  value?: Checked;
  span: Span;
}

/**
 * What the place of an expression wants: a set of types (with `complete` when a stage must have
 * every required field, as in a recipe; a module may leave a preset incomplete), or a named
 * record shape.
 */
export type Expected = { types: Type[]; complete?: boolean } | { record: string };

export type Evaluate = (expr: Expr, expected: Expected) => Checked;

export interface BindRequest {
  /** `of `ppo`` or `of the `sample` record`, for messages. */
  owner: string;
  params: readonly Param[];
  positional: number;
  args: readonly ArgInput[];
  span: Span;
  /** Report missing required arguments (a stage in a module may be completed later by `with`). */
  requireAll: boolean;
}

export function expectedOf(param: Param): Expected {
  if ("record" in param.type) return { record: param.type.record };
  return { types: Array.isArray(param.type) ? param.type : [param.type] };
}

export function bindArguments(request: BindRequest, evaluate: Evaluate, report: (d: Diagnostic) => void): Map<string, Checked> {
  const bound = new Map<string, Checked>();
  const byName = new Map(request.params.map((p) => [p.name, p]));
  let position = 0;
  for (const arg of request.args) {
    let param: Param | undefined;
    if (arg.name === undefined) {
      if (position >= request.positional) {
        report(
          diagnostic("E2102", { problem: "unexpected positional argument", name: describeArg(arg), where: request.owner }, arg.span, {
            label: "give this argument by name",
            help: `the parameters are ${request.params.map((p) => `\`${p.name}\``).join(", ")}`,
          }),
        );
        continue;
      }
      param = request.params[position++];
    } else {
      param = byName.get(arg.name.name);
      if (param === undefined) {
        const suggestion = closest(arg.name.name, byName.keys());
        report(
          diagnostic("E2102", { problem: "unknown argument", name: arg.name.name, where: request.owner }, arg.name.span, {
            label: "not a parameter",
            help: suggestion ? `did you mean \`${suggestion}\`?` : `the parameters are ${request.params.map((p) => `\`${p.name}\``).join(", ")}`,
          }),
        );
        if (arg.expr) evaluate(arg.expr, { types: [T.unknown] });
        continue;
      }
    }
    if (bound.has(param.name) && arg.value === undefined) {
      report(
        diagnostic("E2102", { problem: "argument", name: param.name, where: `given twice ${request.owner}` }, arg.span, {
          label: "given again here",
          secondary: [{ span: bound.get(param.name)!.span, message: "first given here" }],
        }),
      );
      continue;
    }
    const value = arg.value ?? evaluate(arg.expr!, expectedOf(param));
    checkValue(param, value, report);
    bound.set(param.name, value);
  }
  const missing: Param[] = [];
  for (const param of request.params) {
    if (bound.has(param.name)) continue;
    if (param.default !== undefined) bound.set(param.name, defaultValue(param.default, request.span));
    else if (!param.optional) missing.push(param);
  }
  if (missing.length > 0 && request.requireAll) reportMissing(missing, request, report);
  return bound;
}

/** One diagnostic for all the required arguments a call leaves out. */
function reportMissing(missing: Param[], request: BindRequest, report: (d: Diagnostic) => void): void {
  const names = missing.map((p) => `\`${p.name}\``).join(", ");
  const plural = missing.length > 1;
  report(
    diagnostic("E2102", { problem: plural ? "missing arguments" : "missing argument", name: names.slice(1, -1), where: request.owner }, request.span, {
      label: `${names} ${plural ? "are" : "is"} required`,
      notes: missing.map((p) => `${p.name}: ${p.doc}`),
      help: `add ${missing.map((p) => `\`${p.name} = ...\``).join(", ")}`,
    }),
  );
}

function describeArg(arg: ArgInput): string {
  return arg.name?.name ?? "value";
}

/** Type, unit and bound checks of one argument against its parameter. */
function checkValue(param: Param, value: Checked, report: (d: Diagnostic) => void): void {
  if ("record" in param.type) return; // checked field by field when the record was evaluated
  const accepted = Array.isArray(param.type) ? param.type : [param.type];
  if (!accepted.some((t) => assignable(value.type, t))) {
    const durations = accepted.filter((t) => t.kind === "Duration");
    if (value.type.kind === "Duration" && durations.length > 0) {
      report(
        diagnostic("E2106", { expected: durations.flatMap((d) => (d.kind === "Duration" ? d.units : [])).join(" or "), found: showType(value.type) }, value.span, {
          label: `\`${param.name}\` is measured in ${durations.flatMap((d) => (d.kind === "Duration" ? d.units : [])).join(" or ")}`,
        }),
      );
    } else {
      report(
        diagnostic("E2101", { expected: accepted.map(showType).join(" or "), found: showType(value.type) }, value.span, {
          label: `\`${param.name}\` takes ${accepted.map(showType).join(" or ")}`,
        }),
      );
    }
    return;
  }
  const number = value.constant?.kind === "number" ? value.constant.value : undefined;
  if (number === undefined) return;
  const fraction = accepted.some((t) => t.kind === "Fraction");
  const min = param.min ?? (fraction ? 0 : undefined);
  const max = param.max ?? (fraction ? 1 : undefined);
  let reason: string | undefined;
  if (min !== undefined && number < min) reason = `must be at least ${min}, found ${number}`;
  else if (max !== undefined && number > max) reason = `must be at most ${max}, found ${number}`;
  else if (param.above !== undefined && number <= param.above) reason = `must be above ${param.above}, found ${number}`;
  if (reason !== undefined) {
    report(diagnostic("E2105", { what: `\`${param.name}\``, reason }, value.span, { label: param.doc }));
  }
}

/** A parameter's default as a checked value, placed at the call that left it out. */
export function defaultValue(value: DefaultValue, span: Span): Checked {
  if (typeof value === "number") return { type: Number.isInteger(value) ? T.int : T.float, span, constant: { kind: "number", value } };
  if (typeof value === "string") return { type: T.string, span, constant: { kind: "string", value } };
  if (typeof value === "boolean") return { type: T.bool, span, constant: { kind: "bool", value } };
  if (Array.isArray(value)) {
    return { type: T.list(T.float), span, items: value.map((v) => ({ type: T.float, span, constant: { kind: "number", value: v } })) };
  }
  if ("percent" in value) return { type: T.fraction, span, constant: { kind: "number", value: value.percent / 100 } };
  if ("range" in value) return { type: T.range, span, constant: { kind: "range", lo: value.range[0], hi: value.range[1] } };
  if ("duration" in value) {
    const unit = value.unit as "steps";
    return { type: T.duration(unit), span, constant: { kind: "duration", value: value.duration, unit } };
  }
  return { type: lookupBuiltin(value.builtin)?.result ?? T.unknown, span, call: { builtin: value.builtin, args: new Map() } };
}

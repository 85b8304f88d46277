/**
 * Checks a call's arguments (or a record's fields) against a parameter table: positional and
 * named binding, unknown and missing arguments (E2102, with "did you mean"), types (E2101),
 * units (E2106) and numeric bounds (E2105). Arguments are evaluated here, not before, because
 * the parameter decides how: a `{ ... }` given for `sample` is checked against the `sample`
 * record's fields, and an identifier like `rloo` means the advantage or the preset by the type
 * the parameter wants.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { closest, didYouMean } from "../../diagnostics/suggest.js";
import type { Span } from "../../diagnostics/span.js";
import type { Arg, Expr, Field, Ident } from "../../grammar/ast.js";
import type { DefaultValue, Param, RecordName } from "../builtins/shape.js";
import { RECORDS } from "../builtins/records.js";
import { lookupBuiltin } from "../builtins/table.js";
import { assignable, showType, T, type Type } from "../types.js";
import { unknownAt, type Checked } from "../values.js";

/** An argument as written: by position or by name, not yet evaluated, or already checked (`with` amends, a pipe's left side). */
export interface ArgInput {
  name?: Ident;
  expr?: Expr;
  value?: Checked;
  span: Span;
}

/** A call's argument or a block's field, as an argument to bind: both are a name and a value. */
export function argInput(arg: Arg | Field): ArgInput {
  return { name: arg.name, expr: arg.value, span: arg.span };
}

/**
 * What the place of an expression wants: a set of types (with `complete` when a stage must have
 * every required field, as in a recipe; a module may leave a preset incomplete), or a named
 * record shape.
 */
export type Expected = { types: Type[]; complete?: boolean; reference?: boolean } | { record: RecordName };

export type Evaluate = (expr: Expr, expected: Expected) => Checked;

export interface BindRequest {
  /** `of `ppo`` or `of the `sample` record`, for messages. */
  owner: string;
  params: readonly Param[];
  positional: number;
  args: readonly ArgInput[];
  span: Span;
  /**
   * What the user calls the entries: `field` for a stage's or a record's (`group = 8` in a
   * stage block), `argument` for a function's. Messages say the same word the user thinks in.
   */
  noun?: "argument" | "field";
  /** Report missing required arguments (a stage in a module may be completed later by `with`). */
  requireAll: boolean;
}

export function expectedOf(param: Param): Expected {
  if ("record" in param.type) return { record: param.type.record };
  return { types: Array.isArray(param.type) ? param.type : [param.type], reference: param.reference };
}

/**
 * Each parameter table by name, built once: the tables are the builtins' constants, and a
 * recipe binds arguments against the same few tables thousands of times.
 */
const byNameCache = new WeakMap<readonly Param[], ReadonlyMap<string, Param>>();

function paramsByName(params: readonly Param[]): ReadonlyMap<string, Param> {
  let byName = byNameCache.get(params);
  if (byName === undefined) {
    byName = new Map(params.map((p) => [p.name, p]));
    byNameCache.set(params, byName);
  }
  return byName;
}

export function bindArguments(request: BindRequest, evaluate: Evaluate, report: (d: Diagnostic) => void): Map<string, Checked> {
  const bound = new Map<string, Checked>();
  const givenAt = new Map<string, Span>();
  const byName = paramsByName(request.params);
  // Parameters a misspelt argument was taken for: its "did you mean" already says they are
  // missing, so they are not reported missing a second time.
  const suggested = new Set<string>();
  // An argument that is reported and dropped is still evaluated, so its own mistakes are
  // reported too (and the names it uses count as used).
  const skip = (arg: ArgInput) => {
    if (arg.expr && arg.value === undefined) evaluate(arg.expr, { types: [T.unknown] });
  };
  const noun = request.noun ?? "argument";
  // Only a mistake needs the list, and a stage has dozens of parameters: built when reported.
  const all = () => `the ${noun}s are ${request.params.map((p) => `\`${p.name}\``).join(", ")}`;
  let position = 0;
  for (const arg of request.args) {
    let param: Param | undefined;
    if (arg.name === undefined) {
      param = position < request.positional ? request.params[position] : undefined;
      if (param === undefined) {
        report(
          diagnostic("E2102", { problem: "unexpected positional argument", name: describeArg(arg), where: request.owner }, arg.span, {
            label: "give this argument by name",
            help: all(),
          }),
        );
        skip(arg);
        continue;
      }
      position++;
    } else {
      param = byName.get(arg.name.name);
      if (param === undefined) {
        const suggestion = closest(arg.name.name, byName.keys());
        if (suggestion) suggested.add(suggestion);
        report(
          diagnostic("E2102", { problem: `unknown ${noun}`, name: arg.name.name, where: request.owner }, arg.name.span, {
            label: `not ${noun === "field" ? "a" : "an"} ${noun} ${request.owner}`,
            ...(suggestion ? didYouMean(arg.name.span, suggestion) : { help: all() }),
          }),
        );
        skip(arg);
        continue;
      }
    }
    if (bound.has(param.name) && arg.value === undefined) {
      report(
        diagnostic("E2102", { problem: noun, name: param.name, where: `${request.owner} is given twice` }, arg.span, {
          label: "given again here",
          secondary: [{ span: givenAt.get(param.name) ?? bound.get(param.name)!.span, message: "first given here" }],
        }),
      );
      skip(arg);
      continue;
    }
    let value = arg.value ?? evaluate(arg.expr!, expectedOf(param));
    // A `{ ... }` written in place was checked against the record's shape as it was evaluated;
    // a record given by name (`sample = fast`, `sample = fast with { ... }`) is checked here.
    if ("record" in param.type && arg.expr !== undefined && arg.expr.kind !== "block") {
      value = checkNamedRecord(param, param.type.record, value, evaluate, report);
    }
    // A value whose mistake is reported binds as Unknown, so checks that read it (PROF's
    // binary outcome, `group` against `remove`) do not report the same mistake again.
    bound.set(param.name, checkValue(param, value, report) ? value : unknownAt(value.span));
    givenAt.set(param.name, arg.span);
  }
  const missing: Param[] = [];
  for (const param of request.params) {
    if (bound.has(param.name)) continue;
    if (param.default !== undefined) bound.set(param.name, defaultValue(param.default, request.span));
    else if (!param.optional && !suggested.has(param.name)) missing.push(param);
  }
  if (missing.length > 0 && request.requireAll) reportMissing(missing, request, report);
  return bound;
}

/** A record value given by name, checked against the record shape `shape`; Unknown when it does not fit. */
function checkNamedRecord(param: Param, shape: RecordName, value: Checked, evaluate: Evaluate, report: (d: Diagnostic) => void): Checked {
  if (value.type.kind === "Unknown") return value;
  if (value.type.kind !== "Record" || value.fields === undefined) {
    report(
      diagnostic("E2101", { expected: `a \`${shape}\` record`, found: showType(value.type) }, value.span, {
        label: `\`${param.name}\` takes a record: \`{ ${RECORDS[shape]
          .filter((p) => p.default === undefined && !p.optional)
          .map((p) => `${p.name} = ...`)
          .join(", ")} }\``,
      }),
    );
    return unknownAt(value.span);
  }
  let failed = false;
  const fields = bindArguments(
    {
      owner: `of \`${shape}\``,
      params: RECORDS[shape],
      positional: 0,
      args: [...value.fields].map(([name, field]) => ({ name: { kind: "ident" as const, name, span: field.span }, value: field, span: field.span })),
      span: value.span,
      requireAll: true,
      noun: "field",
    },
    evaluate,
    (d) => {
      failed ||= d.severity === "error";
      report(d);
    },
  );
  return failed ? unknownAt(value.span) : { ...value, fields };
}

/** One diagnostic for all the required arguments a call leaves out. */
function reportMissing(missing: Param[], request: BindRequest, report: (d: Diagnostic) => void): void {
  const names = missing.map((p) => `\`${p.name}\``).join(", ");
  const plural = missing.length > 1;
  report(
    diagnostic(
      "E2102",
      { problem: `missing ${request.noun ?? "argument"}${plural ? "s" : ""}`, name: names.slice(1, -1), where: request.owner },
      request.span,
      {
        label: `${names} ${plural ? "are" : "is"} required`,
        notes: missing.map((p) => `${p.name}: ${p.doc}`),
        help: `add ${missing.map((p) => `\`${p.name} = ...\``).join(", ")}`,
      },
    ),
  );
}

/** A positional argument as the user wrote it, when it is short enough to quote. */
function describeArg(arg: ArgInput): string {
  const expr = arg.expr;
  if (expr?.kind === "ident") return expr.name;
  if (expr?.kind === "number" || expr?.kind === "percent" || expr?.kind === "string") return expr.text.length <= 20 ? expr.text : "...";
  return "...";
}

/** Type, unit and bound checks of one argument against its parameter; false when one failed. */
function checkValue(param: Param, value: Checked, report: (d: Diagnostic) => void): boolean {
  if ("record" in param.type) return true; // checked field by field when the record was evaluated
  const accepted = Array.isArray(param.type) ? param.type : [param.type];
  if (!accepted.some((t) => assignable(value.type, t))) {
    const durations = accepted.filter((t) => t.kind === "Duration");
    if (value.type.kind === "Duration" && durations.length > 0) {
      report(
        diagnostic(
          "E2106",
          { expected: durations.flatMap((d) => (d.kind === "Duration" ? d.units : [])).join(" or "), found: `one in ${value.type.units.join(" or ")}` },
          value.span,
          {
            label: `\`${param.name}\` is measured in ${durations.flatMap((d) => (d.kind === "Duration" ? d.units : [])).join(" or ")}`,
          },
        ),
      );
    } else {
      report(
        diagnostic("E2101", { expected: showTypes(accepted), found: showType(value.type) }, value.span, {
          label: `\`${param.name}\` takes ${showTypes(accepted)}`,
        }),
      );
    }
    return false;
  }
  const number = value.constant?.kind === "number" ? value.constant.value : undefined;
  if (number === undefined) return true;
  const fraction = accepted.some((t) => t.kind === "Fraction");
  const min = param.min ?? (fraction ? 0 : undefined);
  const max = param.max ?? (fraction ? 1 : undefined);
  let reason: string | undefined;
  if (min !== undefined && number < min) reason = `must be at least ${min}, found ${number}`;
  else if (max !== undefined && number > max) reason = `must be at most ${max}, found ${number}`;
  else if (param.above !== undefined && number <= param.above) reason = `must be above ${param.above}, found ${number}`;
  if (reason !== undefined) {
    report(diagnostic("E2105", { what: `\`${param.name}\``, reason }, value.span, { label: param.doc }));
    return false;
  }
  return true;
}

/** Accepted types as the user reads them: a reward of any granularity is just `Reward` (`List<Reward>`). */
export function showTypes(types: Type[]): string {
  const erased = (t: Type) => showType(t).replace(/Reward<(outcome|process|token)>/, "Reward");
  const shown = types.map((t) => (types.filter((u) => erased(u) === erased(t)).length === 3 ? erased(t) : showType(t)));
  return [...new Set(shown)].join(" or ");
}

/** A parameter's default as a checked value, placed at the call that left it out. */
export function defaultValue(value: DefaultValue, span: Span): Checked {
  // Set on the fresh value rather than copied: a stage fills in dozens of defaults per call.
  const checked = defaultOf(value, span);
  checked.defaulted = true;
  return checked;
}

function defaultOf(value: DefaultValue, span: Span): Checked {
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

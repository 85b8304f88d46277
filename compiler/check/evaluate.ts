/**
 * Checks one module by evaluating it abstractly: each expression becomes a `Checked` value
 * whose type and known facts the checks read. Declarations are evaluated on first use (any
 * order is fine); a declaration that refers back to itself is an error. An expression whose
 * mistake was reported evaluates to Unknown, which fits everywhere, so one mistake is one
 * diagnostic.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import { closest, didYouMean } from "../../diagnostics/suggest.js";
import type * as A from "../../grammar/ast.js";
import { chainLinks } from "../../grammar/chain.js";
import type { Builtin } from "../builtins/shape.js";
import { callableBare } from "../builtins/shape.js";
import { DATASET_METHODS, RECORDS } from "../builtins/records.js";
import { assignable, showType, T } from "../types.js";
import { unknownAt, type Checked } from "../values.js";
import { arithmetic, isArithmetic, negate } from "./arithmetic.js";
import { withinDepth } from "./depth.js";
import { argInput, bindArguments, expectedOf, showTypes, type ArgInput, type Expected } from "./bind.js";
import { arrowValue, numberValue, percentValue, rangeValue, unify } from "./literals.js";
import { pickBinding } from "./pick-binding.js";
import { refine } from "./refine.js";
import type { Binding, Declaration, NameReference } from "./scope.js";
import { UnknownNames } from "./unknown-names.js";

/** What a module checker needs from the program around it. */
export interface Environment {
  /** Names outside the module: imports are resolved by the module itself; this gives the prelude and built-ins. */
  global(name: string): Binding[];
  globalNames(): Iterable<string>;
  report(diagnostic: Diagnostic): void;
  /** The folder of the file being checked, for built-ins that read files (jsonl, onnx, js). */
  readonly file: string;
}

const ANY: Expected = { types: [T.unknown] };
const ARROW_SIDES: Expected = { types: [T.float, T.pipeline] };

export class Evaluator {
  /** Reported together by `reportUnknownNames`. */
  private readonly unknownNames = new UnknownNames();
  /** Every name that named a declaration, as the checker resolved it: what the language server's references and rename read. */
  readonly references: NameReference[] = [];

  constructor(
    private readonly env: Environment,
    private readonly local: (name: string) => Binding | undefined,
    private readonly localNames: () => Iterable<string>,
    private readonly checkDeclaration: (declaration: Declaration, usedAt: Span, reference: boolean) => Checked,
  ) {}

  evaluate(expr: A.Expr, expected: Expected = ANY): Checked {
    switch (expr.kind) {
      case "number":
        return numberValue(expr, (d) => this.env.report(d));
      case "percent":
        return percentValue(expr, (d) => this.env.report(d));
      case "string":
        return { type: T.string, span: expr.span, constant: { kind: "string", value: expr.value } };
      case "bool":
        return { type: T.bool, span: expr.span, constant: { kind: "bool", value: expr.value } };
      case "paren":
        return { ...this.evaluate(expr.expr, expected), span: expr.span };
      case "unary":
        return negate(this.evaluate(expr.operand), expr.span, (d) => this.env.report(d));
      case "list":
        return this.list(expr, expected);
      case "block":
        return this.record(expr.fields.map(argInput), expr.span, expected);
      case "binary":
        return this.binary(expr, expected);
      case "ident":
        return this.identifier(expr, expected);
      case "member":
        return this.member(expr);
      case "call":
        return this.apply(expr.callee, expr.args.map(argInput), expr.span, expected);
      case "blockCall":
        return this.blockCall(expr, expected);
      case "with":
        return this.amend(expr, expected);
      case "error":
        return unknownAt(expr.span);
    }
  }

  /** `[a, b]`; where a list is expected, each item is checked against the item types it may have. */
  private list(expr: A.ListExpr, expected: Expected): Checked {
    const ofs = "types" in expected ? expected.types.flatMap((t) => (t.kind === "List" ? [t.of] : [])) : [];
    const items = expr.items.map((item) => {
      const value = this.evaluate(item, ofs.length > 0 ? { types: ofs } : ANY);
      if (ofs.length === 0 || ofs.some((t) => assignable(value.type, t))) return value;
      this.env.report(
        diagnostic("E2101", { expected: showTypes(ofs), found: showType(value.type) }, value.span, { label: `the items must be ${showTypes(ofs)}` }),
      );
      return unknownAt(value.span);
    });
    const [firstOf] = ofs;
    if (firstOf === undefined) return { type: T.list(unify(items.map((i) => i.type))), span: expr.span, items };
    // Every item fits one of the item types (a list of rewards may mix granularities): the
    // list's type is the one its first item fits.
    const [firstItem] = items;
    const of =
      ofs.find((t) => items.every((i) => assignable(i.type, t))) ?? ofs.find((t) => firstItem !== undefined && assignable(firstItem.type, t)) ?? firstOf;
    return { type: T.list(of), span: expr.span, items };
  }

  /** A `{ ... }` record; with a record shape expected, its fields are checked against it. */
  private record(args: ArgInput[], span: Span, expected: Expected): Checked {
    if ("record" in expected) {
      const fields = bindArguments(
        { owner: `of \`${expected.record}\``, params: RECORDS[expected.record], positional: 0, args, span, requireAll: true, noun: "field" },
        (e, x) => this.evaluate(e, x),
        (d) => this.env.report(d),
      );
      return { type: T.record, span, fields };
    }
    const fields = new Map<string, Checked>();
    for (const arg of args) {
      if (arg.name === undefined || arg.expr === undefined) continue;
      fields.set(arg.name.name, this.evaluate(arg.expr));
    }
    return { type: T.record, span, fields };
  }

  /**
   * A chain of `->`, `..` and arithmetic, evaluated link by link from its first operand (a
   * loop, not recursion into `left`: grammar/chain.ts). Each link's right side is evaluated
   * after everything to its left, as the recursion did.
   */
  private binary(expr: A.BinaryExpr, expected: Expected): Checked {
    if (expr.op === "|>") return this.pipeChain(expr, expected);
    const links = chainLinks(expr, (op) => op !== "|>");
    let value = this.evaluate(links[0]!.left, links[0]!.op === "->" ? ARROW_SIDES : ANY);
    links.forEach((link, i) => {
      value = this.link(link, value, links[i - 1]?.op === "->");
    });
    return value;
  }

  /** `leftBuilt`: `left` is what the `->` link before this one built here. */
  private link(expr: A.BinaryExpr, left: Checked, leftBuilt: boolean): Checked {
    const report = (d: Diagnostic) => this.env.report(d);
    if (expr.op === "->") return arrowValue(left, this.evaluate(expr.right, ARROW_SIDES), expr.span, report, leftBuilt);
    const right = this.evaluate(expr.right);
    if (expr.op === "..") return rangeValue(left, right, expr.span, report);
    if (isArithmetic(expr.op)) return arithmetic(expr.op, left, right, expr.span, report);
    return unknownAt(expr.span);
  }

  /**
   * `a |> f |> g` link by link: each link gets the value of the links before it as its first
   * argument, evaluated for what the next link's function takes first (so `rloo |> whiten`
   * reads `rloo` as an advantage), as the recursion did.
   */
  private pipeChain(expr: A.BinaryExpr, expected: Expected): Checked {
    const links = chainLinks(expr, (op) => op === "|>");
    let value: Checked | undefined;
    links.forEach((link, i) => {
      const next = links[i + 1];
      value = this.pipe(link, next === undefined ? expected : this.firstParameter(next.right), value);
    });
    return value!;
  }

  /** `x |> f(a)` is `f(x, a)`; `x |> f` is `f(x)`. `left` is x's value when already evaluated. */
  private pipe(expr: A.BinaryExpr, expected: Expected, left: Checked | undefined): Checked {
    const first: ArgInput = { expr: expr.left, value: left, span: expr.left.span };
    const target = expr.right;
    if (target.kind === "call") return this.apply(target.callee, [first, ...target.args.map(argInput)], expr.span, expected);
    return this.apply(target, [first], expr.span, expected);
  }

  /** What the built-in a pipe's `target` calls wants as its first argument. */
  private firstParameter(target: A.Expr): Expected {
    const callee = target.kind === "call" ? target.callee : target;
    const builtin = callee.kind === "ident" ? this.bindings(callee.name).find((b) => b.kind === "builtin") : undefined;
    const param = builtin?.kind === "builtin" && builtin.builtin.positional > 0 ? builtin.builtin.params[0] : undefined;
    return param ? expectedOf(param) : ANY;
  }

  // ---- names -----------------------------------------------------------------------------

  /** Every meaning of a name, the module's own first. */
  private bindings(name: string): Binding[] {
    const local = this.local(name);
    return local ? [local, ...this.env.global(name)] : this.env.global(name);
  }

  private identifier(ident: A.Ident, expected: Expected): Checked {
    const binding = pickBinding(this.bindings(ident.name), expected);
    if (binding === undefined) {
      this.unknownNames.add(ident);
      return unknownAt(ident.span);
    }
    switch (binding.kind) {
      case "declaration": {
        this.references.push({ at: ident.span, declaration: binding.declaration.nameSpan });
        const value = this.checkDeclaration(binding.declaration, ident.span, "types" in expected && expected.reference === true);
        return { ...value, span: ident.span, declaration: { name: binding.declaration.name, span: binding.declaration.nameSpan } };
      }
      case "prelude":
        if (binding.value.declaration) this.references.push({ at: ident.span, declaration: binding.value.declaration.span });
        return { ...binding.value, span: ident.span, declaration: { name: binding.name, span: binding.value.span } };
      case "module":
        this.references.push({ at: ident.span, declaration: binding.span });
        return { type: T.module, span: ident.span };
      case "builtin":
        return this.bare(binding.builtin, ident.span);
    }
  }

  /** A built-in named without arguments: applied when all its parameters have defaults. */
  bare(builtin: Builtin, span: Span): Checked {
    if (callableBare(builtin)) return this.call(builtin, [], span, true);
    return { type: T.function, span, fn: builtin };
  }

  /** E1101 for each unknown name met so far. */
  reportUnknownNames(): void {
    this.unknownNames.report(
      () => [...this.localNames(), ...this.env.globalNames()],
      (d) => this.env.report(d),
    );
  }

  private member(expr: A.MemberExpr): Checked {
    if (expr.object.kind === "ident") {
      const binding = this.local(expr.object.name);
      if (binding?.kind === "module") {
        // The alias names its `use` as a name names a declaration: find references and rename read both.
        this.references.push({ at: expr.object.span, declaration: binding.span });
        const value = binding.module.member(expr.name.name);
        if (value?.declaration) this.references.push({ at: expr.name.span, declaration: value.declaration.span });
        if (value !== undefined) return { ...value, span: expr.span };
        const suggestion = closest(expr.name.name, binding.module.memberNames());
        this.env.report(
          diagnostic("E1101", { name: `${expr.object.name}.${expr.name.name}` }, expr.name.span, {
            label: `not in \`${binding.module.specifier}\``,
            ...(suggestion ? didYouMean(expr.name.span, suggestion, `${expr.object.name}.${suggestion}`) : {}),
          }),
        );
        return unknownAt(expr.span);
      }
    }
    const object = this.evaluate(expr.object);
    if (object.type.kind === "Unknown") return unknownAt(expr.span);
    const field = object.fields?.get(expr.name.name);
    if (field !== undefined) return { ...field, span: expr.span };
    this.env.report(
      diagnostic("E2102", { problem: "unknown field", name: expr.name.name, where: `of ${showType(object.type)}` }, expr.name.span, {
        label: "no such field",
        help: object.fields && object.fields.size > 0 ? `the fields are ${[...object.fields.keys()].map((k) => `\`${k}\``).join(", ")}` : undefined,
      }),
    );
    return unknownAt(expr.span);
  }

  // ---- calls -----------------------------------------------------------------------------

  private blockCall(expr: A.BlockCallExpr, expected: Expected): Checked {
    const blockArgs = expr.block.fields.map(argInput);
    // `f(a) { b = 1 }` gives f both the parenthesised and the block arguments.
    if (expr.callee.kind === "call") return this.apply(expr.callee.callee, [...expr.callee.args.map(argInput), ...blockArgs], expr.span, expected);
    return this.apply(expr.callee, blockArgs, expr.span, expected);
  }

  /** Applies what `callee` names to the arguments: a built-in, or a dataset method. */
  private apply(callee: A.Expr, args: ArgInput[], span: Span, expected: Expected): Checked {
    if (callee.kind === "member" && !this.isModule(callee.object)) {
      const method = DATASET_METHODS.find((m) => m.name === callee.name.name);
      if (method) return this.datasetMethod(method, callee.object, args, span);
    }
    const target = callee.kind === "ident" ? this.callable(callee) : this.evaluate(callee, expected);
    if (target.fn && !givesWanted(target.fn, expected)) {
      // The wrong built-in for the place (`model m = adam { ... }`): one diagnostic at the callee,
      // not one for each argument that the wrong built-in does not take.
      const wanted = "types" in expected ? showTypes(expected.types) : "";
      this.env.report(
        diagnostic("E2101", { expected: wanted, found: showType(target.fn.result) }, target.span, {
          label: `\`${target.fn.name}\` makes ${article(showType(target.fn.result))}`,
        }),
      );
    } else if (target.fn) {
      // A stage may be left incomplete in a module (a preset), to be finished with `with`.
      return this.call(target.fn, args, span, target.fn.result.kind !== "Stage" || isComplete(expected));
    } else if (target.type.kind !== "Unknown") {
      this.env.report(diagnostic("E2101", { expected: "a function", found: showType(target.type) }, target.span, { label: "this cannot be called" }));
    }
    for (const arg of args) if (arg.expr && arg.value === undefined) this.evaluate(arg.expr);
    return unknownAt(span);
  }

  /** The function an identifier names where it is called: a built-in even when a preset shares its name. */
  private callable(ident: A.Ident): Checked {
    const builtin = this.bindings(ident.name).find((b) => b.kind === "builtin");
    if (builtin?.kind === "builtin") return { type: T.function, span: ident.span, fn: builtin.builtin };
    return this.evaluate(ident);
  }

  private datasetMethod(method: Builtin, objectExpr: A.Expr, args: ArgInput[], span: Span): Checked {
    const object = this.evaluate(objectExpr, { types: [T.dataset] });
    if (object.type.kind !== "Unknown" && object.type.kind !== "Dataset") {
      this.env.report(
        diagnostic("E2101", { expected: "Dataset", found: showType(object.type) }, object.span, { label: `\`.${method.name}\` is a dataset method` }),
      );
      for (const arg of args) if (arg.expr && arg.value === undefined) this.evaluate(arg.expr);
      return unknownAt(span);
    }
    const result = this.call(method, args, span, true);
    const methodArgs = new Map([["dataset", object], ...(result.call?.args ?? [])]);
    return withinDepth({ ...result, dataset: object.dataset, call: { builtin: method.name, args: methodArgs } }, (d) => this.env.report(d));
  }

  private isModule(expr: A.Expr): boolean {
    return expr.kind === "ident" && this.local(expr.name)?.kind === "module";
  }

  /** `inherited`: the fields a `with` keeps from the stage it amends. */
  call(builtin: Builtin, args: ArgInput[], span: Span, requireAll: boolean, inherited: ReadonlySet<string> = new Set()): Checked {
    const bound = bindArguments(
      {
        owner: `of \`${builtin.name}\``,
        params: builtin.params,
        positional: builtin.positional,
        args,
        span,
        requireAll,
        noun: builtin.result.kind === "Stage" ? "field" : "argument",
      },
      (e, x) => this.evaluate(e, x),
      (d) => this.env.report(d),
    );
    const value = withinDepth({ type: builtin.result, span, call: { builtin: builtin.name, args: bound } }, (d) => this.env.report(d));
    if (value.call === undefined) return value; // too deep, and reported
    return builtin.refine ? refine(builtin.refine, value, { report: (d) => this.env.report(d), file: this.env.file, complete: requireAll, inherited }) : value;
  }

  /** `x with { ... }`: a stage re-checked with fields replaced or added, or a record amended. */
  private amend(expr: A.WithExpr, expected: Expected): Checked {
    return this.amendWith(expr.base, expr.block.fields.map(argInput), expr.span, expected);
  }

  /**
   * `base with { overrides }`. A recipe's `stage s = grpo` is `grpo with {}`: a preset (or a
   * stage of another module) named whole must be complete too.
   */
  amendWith(baseExpr: A.Expr, overrides: ArgInput[], span: Span, expected: Expected): Checked {
    const base = this.evaluate(baseExpr, { types: [T.stage("rl"), T.stage("sft"), T.record] });
    // Without a base to check them against, the fields are still evaluated: their own mistakes
    // are reported and the names they use count as used.
    const evaluateOverrides = () => {
      for (const o of overrides) if (o.expr) this.evaluate(o.expr);
      return unknownAt(span);
    };
    if (base.type.kind === "Unknown") return evaluateOverrides();
    if (base.type.kind === "Stage" && base.call) {
      const stageBuiltin = this.env.global(base.call.builtin).find((b) => b.kind === "builtin");
      if (stageBuiltin?.kind === "builtin") {
        const replaced = new Set(overrides.map((o) => o.name?.name));
        const kept = [...base.call.args].filter(([name, value]) => !replaced.has(name) && !value.defaulted);
        const keptArgs: ArgInput[] = kept.map(([name, value]) => ({ name: { kind: "ident", name, span: value.span }, value, span: value.span }));
        return this.call(stageBuiltin.builtin, [...keptArgs, ...overrides], span, isComplete(expected), new Set(kept.map(([name]) => name)));
      }
    }
    if (base.type.kind === "Record") {
      const fields = new Map(base.fields);
      for (const o of overrides) if (o.name && o.expr) fields.set(o.name.name, this.evaluate(o.expr));
      return { type: T.record, span, fields };
    }
    this.env.report(
      diagnostic("E2101", { expected: "a stage or a record", found: showType(base.type) }, base.span, {
        label: "only stages and records can be amended with `with`",
      }),
    );
    return evaluateOverrides();
  }
}

/**
 * Whether a built-in's result can stand where `expected` wants. Only the kind is compared: a
 * reward built-in's granularity is settled by its arguments or its declaration (`clip`, `onnx`).
 */
function givesWanted(fn: Builtin, expected: Expected): boolean {
  if (!("types" in expected) || expected.types.some((t) => t.kind === "Unknown")) return true;
  const result = fn.result;
  return expected.types.some((t) => (t.kind === "Reward" && result.kind === "Reward") || assignable(result, t));
}

function article(text: string): string {
  return /^[AEIOU]/.test(text) ? `an ${text}` : `a ${text}`;
}

function isComplete(expected: Expected): boolean {
  return "types" in expected && expected.complete === true;
}
